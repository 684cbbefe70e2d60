/// The pages' one stylesheet, inlined into every page: no external fetch, so the pages work on
/// an air-gapped cluster (the Content-Security-Policy forbids any other source anyway).
enum UIStyle {
    static let css = """
    :root { --ink: #1d2330; --muted: #5d6677; --line: #d9dee7; --bg: #f6f7f9; --card: #fff;
            --accent: #2f5fd0; --good: #0c9f74; --bad: #c8324f; --warn: #b8860b; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
           color: var(--ink); background: var(--bg); }
    header.top { background: #1d2330; color: #fff; padding: 10px 24px; display: flex;
                 align-items: center; gap: 24px; }
    header.top .brand { font-weight: 600; letter-spacing: .02em; }
    header.top nav a { color: #cfd6e4; text-decoration: none; margin-right: 16px; }
    header.top nav a:hover, header.top nav a.current { color: #fff; }
    header.top form { margin-left: auto; }
    header.top button { background: transparent; border: 1px solid #59627a; color: #cfd6e4;
                        border-radius: 4px; padding: 3px 10px; cursor: pointer; }
    main { padding: 20px 24px 48px; max-width: 1500px; }
    h1 { font-size: 20px; margin: 0 0 4px; }
    h2 { font-size: 16px; margin: 28px 0 8px; }
    h3 { font-size: 14px; margin: 12px 0 6px; }
    p.sub, .muted { color: var(--muted); }
    p.sub { margin: 0 0 16px; }
    a { color: var(--accent); }
    code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px;
            margin-bottom: 16px; }
    table.data { border-collapse: collapse; background: var(--card); border: 1px solid var(--line);
                 width: auto; min-width: 50%; }
    table.data th, table.data td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
                                   vertical-align: top; }
    table.data th { background: #eef1f6; font-weight: 600; font-size: 12.5px; color: #3b4354; }
    table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
    table.data tr:hover td { background: #f9fafc; }
    .ci { display: block; color: var(--muted); font-size: 11.5px; }
    .score-cell { white-space: nowrap; }
    .progress { width: 160px; height: 10px; background: #e4e8ef; border-radius: 5px; overflow: hidden;
                display: inline-block; vertical-align: middle; }
    .progress > span { display: block; height: 100%; background: var(--good); }
    .progress.dead > span { background: var(--bad); }
    .pill { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11.5px; background: #e4e8ef; }
    .pill.bad { background: #f8dde3; color: var(--bad); }
    .pill.good { background: #d8f3ea; color: #08694d; }
    .pill.warn { background: #f6ecd0; color: #7a5a00; }
    .budgets a, .budgets span { display: inline-block; margin-right: 6px; padding: 2px 10px; border-radius: 4px;
                                border: 1px solid var(--line); background: var(--card); text-decoration: none; }
    .budgets span.current { background: var(--accent); color: #fff; border-color: var(--accent); }
    .downloads a { margin-right: 12px; }
    .heatmaps { display: flex; flex-wrap: wrap; gap: 16px; }
    figure { margin: 0; }
    .heatmap { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px; }
    .heatmap h3 { margin: 0 0 4px; }
    .heatmap svg text { font: 10px system-ui, sans-serif; fill: #3b4354; }
    .legend { display: flex; align-items: center; gap: 8px; margin: 8px 0; color: var(--muted); font-size: 12px; }
    .prompt { white-space: pre-wrap; word-break: break-word; background: #fbfbfd; border: 1px solid var(--line);
              border-radius: 4px; padding: 10px; max-height: 420px; overflow: auto; }
    .prompt mark { background: #ffe27a; padding: 1px 0; }
    .prompt .elided { color: var(--muted); font-style: italic; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; }
    .strips svg text { font: 10px ui-monospace, Menlo, monospace; fill: #3b4354; }
    .login { max-width: 420px; margin: 60px auto; }
    .login input[type=password] { width: 100%; padding: 8px; border: 1px solid var(--line); border-radius: 4px;
                                  font: inherit; margin: 6px 0 12px; }
    .login button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 8px 16px;
                    font: inherit; cursor: pointer; }
    .notice { border-left: 4px solid var(--warn); background: #fff8e6; padding: 8px 12px; margin: 8px 0; }
    .error { border-left: 4px solid var(--bad); background: #fdeef1; padding: 8px 12px; margin: 8px 0; }
    """
}
