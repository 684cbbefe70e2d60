import FleetCore
import TaskSpec
import KVEval
import PolicySpec

/// `/ui/experiments/{experiment}?budget=B`: progress, the results table (policy × budget rows,
/// datasets + average, each cell with n and its 95 % interval), the needle heatmaps of every
/// policy at one budget side by side (the paper's figure), the samples at that budget, and the
/// table's downloads. Built from the JSON API's status and results.
enum ExperimentPage {
    static func render(status: ExperimentStatus, results: ExperimentResults, budget: Int) -> String {
        let spec = results.spec
        let base = "/ui/experiments/\(HTML.urlComponent(results.experiment))"
        var body = """
            <h1>\(HTML.escape(results.experiment))</h1>
            <p class="sub">\(HTML.escape(ResultsTable.title(of: spec))) · model \
            <span class="mono">\(HTML.escape(UIFormat.short(spec.modelSha256)))</span> · \
            \(status.samples.done)/\(status.samples.total) samples · \(status.jobs.done) of \(status.jobs.total) jobs done\
            \(status.jobs.dead > 0 ? " · <span class=\"pill bad\">\(status.jobs.dead) dead</span>" : "")\
            \(status.cancelled ? " · <span class=\"pill warn\">cancelled</span>" : "")</p>
            \(settings(spec))
            """
        body += "<h2>Results</h2>"
        do {
            let table = try ResultsTable.build(from: results)
            body += resultsTable(table)
            body += "<p class=\"downloads\">Download the table: "
            for (format, label) in [("csv", "CSV"), ("json", "JSON"), ("latex", "LaTeX"), ("md", "Markdown")] {
                body += HTML.link("\(base)/table/\(format)", label)
            }
            body += "</p>"
            body += figures(results)
        } catch {
            body += "<div class=\"notice\">\(HTML.escape(error.description))</div>"
        }
        body += budgetSelector(spec.budgets, current: budget, base: base)
        if spec.benchmark == .needle {
            body += heatmaps(results, budget: budget, base: base)
        }
        body += samples(results, budget: budget, base: base)
        return UIPage(title: results.experiment, section: .experiments, body: body).render()
    }

    /// The report's figures and verdicts (`results report`): score vs budget with 95 % bands,
    /// score vs KV bytes, and PyramidKV against SnapKV per budget, paired.
    static func figures(_ results: ExperimentResults) -> String {
        guard let curves = try? BudgetCurves.build(from: results) else { return "" }
        var html = "<h2>Score vs KV budget</h2><div class=\"figures\" id=\"figures\">"
            + BudgetCurvesSVG.render(curves, axis: .budget) + BudgetCurvesSVG.render(curves, axis: .kvBytes) + "</div>"
        let verdicts = PairedVerdicts.build(from: results, candidate: ResultsReport.candidate, baseline: ResultsReport.leadBaseline)
        if !verdicts.lines.isEmpty {
            html += "<ul class=\"verdicts\" id=\"verdicts\">"
            for line in verdicts.lines {
                let d = line.difference
                html += "<li data-budget=\"\(line.budget)\" data-verdict=\"\(HTML.escape(line.verdict))\">"
                    + HTML.escape(String(format: "%@ − %@ @ %d = %+.2f [%+.2f, %+.2f], n %d, worse %d / better %d / equal %d: %@",
                                         verdicts.candidate, verdicts.baseline, line.budget,
                                         SignedPoints.shown(100 * d.meanDifference), SignedPoints.shown(100 * d.ciLow),
                                         SignedPoints.shown(100 * d.ciHigh), d.n, d.worse, d.better, d.equal, line.verdict))
                    + "</li>"
            }
            html += "</ul><p class=\"muted\">Paired by sample; 95 % paired-bootstrap interval at each budget on its own.</p>"
        }
        return html
    }

    static func settings(_ spec: ExperimentSpec) -> String {
        var facts: [(String, String)] = [("policies", ExperimentsPage.sweep(spec))]
        if let needle = spec.needle {
            facts.append(("grid", "lengths \(needle.lengths.map(String.init).joined(separator: ", ")); "
                          + "depths \(needle.depths.map(String.init).joined(separator: ", "))%"))
            facts.append(("needle", needle.settings.needle))
            facts.append(("question", needle.settings.question))
            facts.append(("answer", needle.settings.answerText))
        }
        if let longbench = spec.longbench {
            facts.append(("datasets", longbench.datasets.map(\.dataset).joined(separator: ", ")))
        }
        if spec.question != nil || spec.questions != nil {
            // The protocol, when not the reference drivers' (part of every job key).
            let timing = spec.question ?? .aware
            facts.append(("protocol", "question \(timing.rawValue)"
                          + QuestionReuse.titleSuffix(questions: spec.questions, timing: timing)))
        }
        let rows = facts.map { "<dt>\(HTML.escape($0.0))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined()
        return "<div class=\"card\"><dl class=\"facts\" id=\"settings\">\(rows)</dl></div>"
    }

    static func resultsTable(_ table: ResultsTable) -> String {
        var html = "<table class=\"data\" id=\"results\"><thead><tr><th>policy</th><th class=\"num\">budget</th>"
        for column in table.columns + ["average"] { html += "<th class=\"num\">\(HTML.escape(column))</th>" }
        html += "</tr></thead><tbody>"
        for row in table.rows {
            html += "<tr class=\"result\" data-policy=\"\(HTML.escape(row.policy))\" data-budget=\"\(row.budget.map(String.init) ?? "")\">"
                + "<td>\(HTML.escape(row.policy))</td><td class=\"num\">\(row.budget.map(String.init) ?? "")</td>"
            for cell in table.columns.map({ row.cells[$0] }) + [row.average] {
                guard let cell else { html += "<td class=\"num\">–</td>"; continue }
                html += "<td class=\"num score-cell\" data-score=\"\(UIFormat.fixed(cell.score))\" data-n=\"\(cell.n)\" "
                    + "data-ci-low=\"\(UIFormat.fixed(cell.ciLow))\" data-ci-high=\"\(UIFormat.fixed(cell.ciHigh))\">"
                    + "\(UIFormat.fixed(cell.score))<span class=\"ci\">[\(UIFormat.fixed(cell.ciLow)), "
                    + "\(UIFormat.fixed(cell.ciHigh))] n=\(cell.n)</span></td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table><p class=\"muted\">Score = 100 · mean per-sample score; brackets: 95 % percentile-bootstrap "
            + "interval; n: scored samples."
            + (table.unscored > 0 ? " \(table.unscored) predictions are not scored yet (left out)." : "") + "</p>"
        return html
    }

    static func budgetSelector(_ budgets: [Int], current: Int, base: String) -> String {
        var html = "<h2>At budget</h2><p class=\"budgets\" id=\"budgets\">"
        for budget in budgets {
            html += budget == current ? "<span class=\"current\">\(budget)</span>"
                : HTML.link("\(base)?budget=\(budget)", String(budget))
        }
        return html + "</p>"
    }

    static func heatmaps(_ results: ExperimentResults, budget: Int, base: String) -> String {
        let lengths = results.spec.needle?.lengths.sorted() ?? []
        let depths = results.spec.needle?.depths.sorted() ?? []
        var names: [PolicyConfig.Name] = []
        for policy in results.spec.policies where !names.contains(policy.name) { names.append(policy.name) }
        var html = "<h2>Needle heatmaps at budget \(budget)</h2><div class=\"legend\">\(HeatmapSVGInline.legend)</div>"
            + "<div class=\"heatmaps\" id=\"heatmaps\">"
        for policyName in names {
            let name = policyName.rawValue
            var targets: [Int: [Int: HeatmapSVGInline.Target]] = [:]
            for job in results.jobs where job.spec.policy.name == policyName
                && job.spec.budgetsAnswered(in: results.spec.budgets).contains(budget) {
                for prediction in job.predictions {
                    guard let length = prediction.sample.length, let depth = prediction.sample.depth else { continue }
                    targets[depth, default: [:]][length] = .init(
                        href: "\(base)/jobs/\(job.jobId)/samples/\(HTML.urlComponent(prediction.sampleId))",
                        label: "\(name), length \(length), depth \(depth)%")
                }
            }
            html += "<figure class=\"heatmap\" data-policy=\"\(HTML.escape(name))\"><h3>\(HTML.escape(name))</h3>"
            do {
                let heatmap = try NeedleHeatmap.build(from: results, policy: policyName, budget: budget)
                html += HeatmapSVGInline.render(heatmap, lengths: lengths, depths: depths, targets: targets)
                html += "<figcaption class=\"muted\">overall \(UIFormat.fixed(heatmap.overall, 3)) "
                    + "[\(UIFormat.fixed(heatmap.overallCiLow, 3)), \(UIFormat.fixed(heatmap.overallCiHigh, 3))]"
                    + (heatmap.unscored > 0 ? " · \(heatmap.unscored) unscored" : "") + "</figcaption>"
            } catch {
                html += "<p class=\"muted\">\(HTML.escape(error.description))</p>"
            }
            html += "</figure>"
        }
        return html + "</div>"
    }

    /// Every stored prediction at this budget (first 500), each linking to its sample's page.
    static func samples(_ results: ExperimentResults, budget: Int, base: String) -> String {
        let limit = 500
        var rows: [String] = []
        var total = 0
        for job in results.jobs where job.spec.budgetsAnswered(in: results.spec.budgets).contains(budget) {
            for prediction in job.predictions {
                total += 1
                guard rows.count < limit else { continue }
                let sample = prediction.sample
                let cell = sample.length.map { "length \($0), depth \(sample.depth ?? 0)%" }
                    ?? "\(sample.dataset) \(sample.recordId ?? "")"
                let text = prediction.result.prediction
                let excerpt = text.count > 120 ? String(text.prefix(120)) + "…" : text
                rows.append("<tr class=\"sample\"><td>\(HTML.escape(ResultsTable.rowLabel(job.spec.policy)))</td>"
                    + "<td>\(HTML.link("\(base)/jobs/\(job.jobId)/samples/\(HTML.urlComponent(prediction.sampleId))", cell))</td>"
                    + "<td class=\"num\">\(prediction.score.map { UIFormat.fixed($0, 3) } ?? "–")</td>"
                    + "<td class=\"mono\">\(HTML.escape(excerpt))</td></tr>")
            }
        }
        guard total > 0 else { return "<h2>Samples</h2><div class=\"notice\">No predictions at budget \(budget) yet.</div>" }
        return "<h2>Samples at budget \(budget)</h2><table class=\"data\" id=\"samples\"><thead><tr><th>policy</th>"
            + "<th>sample</th><th class=\"num\">score</th><th>prediction</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table>"
            + (total > limit ? "<p class=\"muted\">First \(limit) of \(total).</p>" : "")
    }
}
