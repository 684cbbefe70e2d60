import FleetCore

/// `/ui/experiments/{experiment}/jobs/{job_id}/samples/{sample}`: one prediction with its
/// prompt (needle marked), answers and scores, and — when the coordinator can recompute it —
/// which prompt positions every layer kept, so one can see why a policy lost the needle.
enum SamplePage {
    static func render(experiment: String, job: JobResults, prediction: PredictionRecord, answers: [String],
                       inspection: Result<SampleInspection, SampleInspectionFailure>) -> String {
        let sample = prediction.sample
        let result = prediction.result
        let policy = job.spec.policy
        let cell = sample.length.map { "length \($0), depth \(sample.depth ?? 0)%" }
            ?? "\(sample.dataset) \(sample.recordId ?? "")"
        let base = "/ui/experiments/\(HTML.urlComponent(experiment))"
        var facts: [(String, String)] = [
            ("experiment", experiment), ("job", "\(job.jobId) (\(job.state))"),
            ("policy", ResultsTable.rowLabel(policy) + " · window \(policy.window.map(String.init) ?? "preset") · kernel "
                + "\(policy.kernel) · \(policy.pooling.rawValue) pool · β \(policy.beta) · \(policy.layout.rawValue)"),
            ("budget", policy.keepsWholeCache ? "none (FullKV keeps the whole cache; its one run answers every budget)"
                : String(job.spec.budget)), ("sample", cell), ("sample id", prediction.sampleId),
            ("worker", prediction.workerId),
            ("tokens", "\(result.promptTokens) prompt, \(result.generatedTokens) generated"),
            ("time", "prefill \(UIFormat.fixed(result.prefillSeconds, 3)) s, decode \(UIFormat.fixed(result.decodeSeconds, 3)) s"),
            ("KV cache", "\(result.kvBytes) bytes"),
            ("hardware", "\(result.hardware.cpu) · \(result.hardware.threads) threads · \(result.hardware.dtype)"),
        ]
        if let needle = job.spec.needle { facts.append(("needle", needle.needle)) }
        var body = "<h1>Sample \(HTML.escape(cell))</h1><p class=\"sub\">\(HTML.link(base, "← \(experiment)"))</p>"
        body += "<div class=\"card\"><dl class=\"facts\" id=\"facts\">"
            + facts.map { "<dt>\(HTML.escape($0.0))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined() + "</dl></div>"

        body += "<h2>Prediction</h2><pre class=\"prompt\" id=\"prediction\">\(HTML.escape(result.prediction))</pre>"
        body += "<h2>Answers</h2><ul id=\"answers\">" + answers.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        body += "<h2>Score</h2>" + scores(prediction)

        body += "<h2>Prompt</h2>"
        switch inspection {
        case .success(let inspected):
            body += "<div class=\"prompt\" id=\"prompt\">" + PromptExcerpt.html(inspected) + "</div>"
            body += "<p class=\"muted\">\(inspected.promptTokens) tokens"
                + (inspected.needleSpan.map { "; the needle is tokens \($0.lowerBound)–\($0.upperBound - 1)" } ?? "") + ".</p>"
            body += "<h2>Positions each layer kept</h2><div class=\"strips\" id=\"strips\">"
                + KeptPositionsSVG.render(inspected) + "</div><p class=\"muted\">\(HTML.escape(inspected.method))</p>"
        case .failure(let failure):
            body += stored(sample)
            body += "<h2>Positions each layer kept</h2><div class=\"notice\" id=\"no-inspection\">"
                + HTML.escape(failure.description) + "</div>"
        }
        return UIPage(title: "Sample \(cell)", section: .experiments, body: body).render()
    }

    /// The primary score (the one tables and heatmaps use), then every stored metric.
    static func scores(_ prediction: PredictionRecord) -> String {
        var html = "<p id=\"score\">primary score: <strong>\(prediction.score.map { UIFormat.fixed($0, 3) } ?? "not scored yet")"
            + "</strong></p>"
        guard let metrics = prediction.metrics, !metrics.isEmpty else { return html }
        html += "<table class=\"data\" id=\"metrics\"><thead><tr><th>metric</th><th class=\"num\">score</th></tr></thead><tbody>"
            + metrics.keys.sorted().map { name in
                "<tr><td>\(HTML.escape(name))</td><td class=\"num\">\(UIFormat.fixed(metrics[name]!, 3))</td></tr>"
            }.joined() + "</tbody></table>"
        return html
    }

    /// Without the recomputed prompt: what the sample itself stores (LongBench input and context).
    static func stored(_ sample: SampleSpec) -> String {
        var html = ""
        if let input = sample.input { html += "<h3>input</h3><div class=\"prompt\">\(PromptExcerpt.truncated(input))</div>" }
        if let context = sample.context {
            html += "<h3>context</h3><div class=\"prompt\">\(PromptExcerpt.truncated(context))</div>"
        }
        return html.isEmpty ? "<p class=\"muted\">The needle prompt is built by the worker from the haystack and is "
            + "not stored; it is shown here when the coordinator can rebuild it (see below).</p>" : html
    }
}

/// Why the sample page has no recomputed prompt and kept positions.
public enum SampleInspectionFailure: Error, CustomStringConvertible, Sendable {
    case noInspector
    case failed(String)

    public var description: String {
        switch self {
        case .noInspector:
            "Kept positions are not stored (workers post predictions, not caches). Start the coordinator with "
                + "--inspect-models-dir DIR (a directory holding the job's model) to recompute them here with one prefill."
        case .failed(let reason): "Could not recompute the prompt and kept positions: \(reason)"
        }
    }
}
