#!/usr/bin/env python3
"""The coordinator's pages in a real browser (tools/ui-browser-test.sh starts the daemon and the
sweeps): signs in through the login form, loads the four pages, asserts on their DOM and saves
full-page screenshots.  Usage: ui_browser_test.py URL ADMIN_TOKEN MAIN_EXP NASTY_EXP NASTY_NEEDLE OUT_DIR"""
import json, os, sys, urllib.request
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ui_browser import Browser  # noqa: E402

url, token, main_exp, nasty_exp, nasty_needle, out = sys.argv[1:7]
os.makedirs(out, exist_ok=True)
checks = 0
failures = []


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        failures.append(what)
        print(f"FAIL {what}")


class Elements(HTMLParser):
    """Counts of tags, ids and classes, and the text, of a serialized DOM."""
    def __init__(self, html):
        super().__init__()
        self.tags, self.classes, self.ids, self.text = {}, {}, set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        attributes = dict(attrs)
        for name in (attributes.get("class") or "").split():
            key = f"{tag}.{name}"
            self.classes[key] = self.classes.get(key, 0) + 1
        if "id" in attributes:
            self.ids.add(attributes["id"])

    def handle_data(self, data):
        self.text.append(data)

    def count(self, key):
        return self.classes.get(key, 0) if "." in key else self.tags.get(key, 0)


def api(path):
    request = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


results = api(f"/v1/experiments/{main_exp}/results")
spec = results["spec"]
policies = [p["name"] for p in spec["policies"]]
budgets = spec["budgets"]
cells = len(spec["needle"]["lengths"]) * len(spec["needle"]["depths"])
workers = api("/v1/workers")["workers"]

browser = Browser()
try:
    # Without a credential the page is the sign-in form, with 401.
    status, dom = browser.open(url + "/ui/experiments")
    page = Elements(dom)
    check(status == 401, f"experiments without a session: HTTP {status}, want 401")
    check("login" in page.ids and "token" in page.ids, "the 401 page carries the sign-in form")
    browser.submit_form("login", {"token": "not-the-token"})
    check("login-error" in Elements(browser.dom()).ids, "a wrong token is refused on the form")
    browser.submit_form("login", {"token": token})
    check(browser.evaluate("location.pathname") == "/ui/experiments", "signing in lands on the experiments page")
    cookie = [c for c in browser.cookies() if c["name"] == "pyramidkv_session"]
    check(len(cookie) == 1 and cookie[0]["httpOnly"] and cookie[0]["sameSite"] == "Strict",
          f"session cookie HttpOnly and SameSite=Strict: {cookie}")
    check(cookie and token not in cookie[0]["value"], "the cookie does not hold the token itself")

    pages = {}
    # 1. Experiments list.
    status, dom = browser.open(url + "/ui/experiments")
    page = Elements(dom)
    check(status == 200, f"experiments: HTTP {status}")
    check(page.count("tr.experiment") == 2, f"experiments: 2 rows, got {page.count('tr.experiment')}")
    order = browser.evaluate("[...document.querySelectorAll('tr.experiment')].map(r => r.dataset.experiment)")
    check(order == [nasty_exp, main_exp], f"experiments newest first: {order}")
    samples_text = browser.evaluate("[...document.querySelectorAll('tr.experiment .samples')].map(s => s.textContent)")
    main_status = api(f"/v1/experiments/{main_exp}")
    want = f"{main_status['samples']['done']}/{main_status['samples']['total']}"
    check(want in samples_text and main_status['samples']['done'] == main_status['samples']['total'],
          f"experiments: progress {want} in {samples_text}")
    browser.screenshot(os.path.join(out, "ui-experiments.png"))
    pages["experiments"] = dom

    # 2. One experiment at each budget.
    for budget in budgets:
        status, dom = browser.open(f"{url}/ui/experiments/{main_exp}?budget={budget}")
        page = Elements(dom)
        check(status == 200, f"experiment @{budget}: HTTP {status}")
        rows = browser.evaluate("document.querySelectorAll('#results tr.result').length")
        whole = [p for p in policies if p == "fullkv"]
        want_rows = len(whole) + (len(policies) - len(whole)) * len(budgets)  # FullKV: one row, no budget
        check(rows == want_rows, f"results table: {rows} rows, want {want_rows}")
        if whole:
            first = browser.evaluate("[...document.querySelectorAll('#results tr.result')].map(r => r.dataset.policy + '@' + r.dataset.budget)[0]")
            check(first == "fullkv@", f"results table: FullKV first and without a budget, got {first}")
        scored = browser.evaluate("[...document.querySelectorAll('#results td.score-cell')]"
                                  ".every(td => td.dataset.n > 0 && +td.dataset.ciLow <= +td.dataset.score"
                                  " && +td.dataset.score <= +td.dataset.ciHigh)")
        check(scored, "every results cell has n > 0 and ci_low <= score <= ci_high")
        check(page.count("figure.heatmap") == len(policies), f"one heatmap per policy: {page.count('figure.heatmap')}")
        per_map = browser.evaluate("[...document.querySelectorAll('figure.heatmap')].map(f => f.querySelectorAll('rect.cell').length)")
        check(per_map == [cells] * len(policies), f"heatmap cells per policy {per_map}, want {cells} each")
        check(browser.evaluate("document.querySelector('#budgets span.current').textContent") == str(budget),
              f"budget selector marks {budget}")
        links = browser.evaluate("[...document.querySelectorAll('.downloads a')].map(a => a.textContent)")
        check(links == ["CSV", "JSON", "LaTeX", "Markdown"], f"download links {links}")
        check(page.count("tr.sample") > 0, "the samples table lists predictions")
        if budget == budgets[0]:
            browser.screenshot(os.path.join(out, "ui-experiment.png"))
            pages["experiment"] = dom
            sample_href = browser.evaluate(
                "document.querySelector('figure.heatmap[data-policy=pyramidkv] a').getAttribute('href')")

    # 3. One sample (reached through a heatmap cell).
    status, dom = browser.open(url + sample_href)
    page = Elements(dom)
    check(status == 200, f"sample: HTTP {status}")
    check("prediction" in page.ids and "answers" in page.ids and "score" in page.ids and "metrics" in page.ids,
          "sample: prediction, answers, score, metrics")
    answers = browser.evaluate("[...document.querySelectorAll('#answers li')].map(li => li.textContent)")
    check(answers == [spec["needle"]["settings"].get("answer") or "eat a sandwich and sit in Dolores Park on a sunny day."],
          f"sample: the answer {answers}")
    needle_text = browser.evaluate("document.getElementById('needle') && document.getElementById('needle').textContent")
    check(needle_text and "Dolores Park" in needle_text, f"sample: the needle is marked in the prompt: {needle_text!r}")
    layers = browser.evaluate("document.querySelectorAll('svg.kept-strips g.layer').length")
    check(layers == 30, f"sample: one kept-positions strip per layer (30), got {layers}")
    check(browser.evaluate("document.querySelectorAll('svg.kept-strips rect.needle-band').length") == 1,
          "sample: the needle band is drawn over the strips")
    browser.screenshot(os.path.join(out, "ui-sample.png"))
    pages["sample"] = dom

    # 4. Workers.
    status, dom = browser.open(url + "/ui/workers")
    page = Elements(dom)
    check(status == 200, f"workers: HTTP {status}")
    check(page.count("tr.worker") == len(workers) == 2, f"workers: {page.count('tr.worker')} rows, api {len(workers)}")
    done = browser.evaluate("[...document.querySelectorAll('tr.worker td.num')].map(td => +td.textContent)")
    check(sorted(done) == sorted(w["jobs_done"] for w in workers), f"workers: jobs done {done}")
    browser.screenshot(os.path.join(out, "ui-workers.png"))
    pages["workers"] = dom

    # Escaping: a needle with <script> and quotes shows as text on the experiment and sample pages.
    status, dom = browser.open(f"{url}/ui/experiments/{nasty_exp}")
    shown = browser.evaluate("document.getElementById('settings').textContent")
    check(nasty_needle.strip() in shown, "the <script> needle is shown as text on the experiment page")
    nasty_sample = browser.evaluate("document.querySelector('figure.heatmap a').getAttribute('href')")
    status, nasty_dom = browser.open(url + nasty_sample)
    marked = browser.evaluate("document.getElementById('needle') ? document.getElementById('needle').textContent : ''")
    check(nasty_needle.strip() in marked, f"the <script> needle is marked as text in the prompt: {marked!r}")
    for name, html in list(pages.items()) + [("nasty experiment", dom), ("nasty sample", nasty_dom)]:
        check(Elements(html).count("script") == 0, f"{name}: no <script> element in the DOM")
    check(browser.evaluate("document.querySelectorAll('script').length") == 0, "no script element after load")
    check(not browser.evaluate("window.__injected === true"), "the injected script did not run")

    # Sign out clears the session.
    browser.open(url + "/ui/experiments")
    browser.evaluate("document.querySelector('header form').requestSubmit(); true")
    browser.wait_for_load()
    status, _ = browser.open(url + "/ui/workers")
    check(status == 401, f"after signing out the pages want the token again: HTTP {status}")
finally:
    browser.close()

print(f"ui_browser_test: {checks} DOM/browser checks, {len(failures)} failed; screenshots in {out}")
sys.exit(1 if failures else 0)
