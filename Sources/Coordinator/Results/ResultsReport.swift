import Foundation
import FleetCore
import KVEval
import PolicySpec

/// `results report`: a self-contained Markdown report of one or more experiments with its SVG
/// figures: score vs KV budget per policy with 95 % bands (the paper's main figure), score vs
/// KV bytes, the needle heatmaps of every policy at each budget, the table with intervals, and
/// one paired verdict line per budget (PyramidKV against SnapKV, and against each other policy).
/// Built from stored results alone, so an imported export gives the same report.
public struct ResultsReport: Sendable {
    /// File name → contents; "report.md" links the others by relative path.
    public var files: [String: String]

    /// The policy whose verdicts the report leads with, and its first baseline.
    public static let candidate = "pyramidkv", leadBaseline = "snapkv"

    public struct Context: Sendable {
        public var title: String
        /// The model's name (or its sha256 when it is not a named model).
        public var model: String
        /// The command that produced the results, as the reader should run it.
        public var command: String?
        public var notes: [String]

        public init(title: String, model: String, command: String? = nil, notes: [String] = []) {
            self.title = title
            self.model = model
            self.command = command
            self.notes = notes
        }
    }

    public static func build(_ experiments: [ExperimentResults], context: Context) throws(ResultsError) -> ResultsReport {
        var files: [String: String] = [:]
        var md = "# \(context.title)\n\n"
        md += provenance(experiments, context: context)
        for results in experiments {
            let table = try ResultsTable.build(from: results)
            let curves = try BudgetCurves.build(from: results)
            let slug = results.experiment
            md += "\n## \(table.title) — \(results.experiment)\n\n"
            md += facts(results) + "\n"
            md += "### Verdicts (paired by sample, 95 % bootstrap interval, score points)\n\n"
            md += PairedVerdicts.build(from: results, candidate: candidate, baseline: leadBaseline).markdown() + "\n"
            let others = policies(results).filter { ![candidate, leadBaseline].contains($0) }.map {
                PairedVerdicts.build(from: results, candidate: candidate, baseline: $0)
            }
            if !others.isEmpty { md += "Against the other policies:\n\n" + PairedVerdicts.table(others) + "\n" }
            let subtitle = "\(context.model); n per point: \(ResultsTableFormat.sampleCounts(table))"
            files["\(slug)-score-vs-budget.svg"] = BudgetCurvesSVG.render(curves, axis: .budget, subtitle: subtitle)
            files["\(slug)-score-vs-kv-bytes.svg"] = BudgetCurvesSVG.render(curves, axis: .kvBytes, subtitle: subtitle)
            md += "![score vs KV budget](\(slug)-score-vs-budget.svg)\n\n"
            md += "![score vs KV bytes](\(slug)-score-vs-kv-bytes.svg)\n\n"
            md += "### Table\n\n" + ResultsTableFormat.md.render(table) + "\n"
            md += "### Against FullKV\n\n"
            if let comparison = try? ResultsComparison.build(from: results, baseline: PolicyConfig.Name.fullkv.rawValue) {
                md += comparison.markdown() + "\n"
            } else {
                md += "(no FullKV row)\n\n"
            }
            if results.spec.benchmark == .needle {
                md += "### Needle heatmaps\n\n"
                for (name, svg) in heatmaps(results, model: context.model) {
                    files["\(slug)-\(name).svg"] = svg
                    md += "![\(name)](\(slug)-\(name).svg)\n"
                }
                md += "\n"
            }
        }
        files["report.md"] = md
        return ResultsReport(files: files)
    }

    /// Policies in the sweep's order, by their table labels.
    static func policies(_ results: ExperimentResults) -> [String] {
        var names: [String] = []
        for policy in results.spec.policies {
            let label = ResultsTable.rowLabel(policy.normalized)
            if !names.contains(label) { names.append(label) }
        }
        return names
    }

    /// Who ran what: model, engine versions, numerics, CPUs, threads, compute time.
    static func provenance(_ experiments: [ExperimentResults], context: Context) -> String {
        let predictions = experiments.flatMap { $0.jobs.flatMap(\.predictions) }
        let hardware = Set(predictions.map { "\($0.result.hardware.cpu), \($0.result.hardware.threads) threads" }).sorted()
        let engines = Set(experiments.flatMap { $0.jobs.map(\.spec.engineVersion) }).sorted()
        let modes = Set(experiments.map { $0.spec.activations?.rawValue ?? "f32 (exact)" }).sorted()
        let seconds = predictions.reduce(0) { $0 + $1.result.prefillSeconds + $1.result.decodeSeconds }
        var lines = ["- model: \(context.model)",
                     "- experiments: \(experiments.map(\.experiment).joined(separator: ", "))",
                     "- engine version: \(engines.joined(separator: ", ")); numerics: \(modes.joined(separator: ", "))",
                     "- hardware: \(hardware.isEmpty ? "(no predictions)" : hardware.joined(separator: "; "))",
                     String(format: "- engine time recorded by the workers: %.0f s (prefill + decode over %d predictions; "
                            + "a prefill shared across policies is counted once)", seconds, predictions.count)]
        if let command = context.command { lines.append("- command: `\(command)`") }
        lines += context.notes.map { "- \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    static func facts(_ results: ExperimentResults) -> String {
        let spec = results.spec
        var lines = ["- policies: \(policies(results).joined(separator: ", ")); budgets: "
                     + spec.budgets.map(String.init).joined(separator: ", ")]
        if let needle = spec.needle {
            lines.append("- needle grid: lengths \(needle.lengths.map(String.init).joined(separator: ", ")); depths "
                         + needle.depths.map(String.init).joined(separator: ", ") + " %; protocol "
                         + (needle.settings.protocolLabel))
        }
        if let longbench = spec.longbench {
            lines.append("- datasets: \(longbench.datasets.map(\.dataset).joined(separator: ", ")); max length "
                         + "\(longbench.maxLength); data version \(longbench.datasetVersion)")
        }
        let jobs = results.jobs
        let done = jobs.filter { $0.state == "done" }.count
        lines.append("- jobs: \(done)/\(jobs.count) done; predictions: \(jobs.reduce(0) { $0 + $1.predictions.count })")
        return lines.joined(separator: "\n") + "\n"
    }

    /// "needle-snapkv-128" → SVG, for every policy at every budget (FullKV once).
    static func heatmaps(_ results: ExperimentResults, model: String) -> [(String, String)] {
        var maps: [(String, String)] = []
        var names: [PolicyConfig.Name] = []
        for policy in results.spec.policies where !names.contains(policy.name) { names.append(policy.name) }
        for name in names {
            let keepsWhole = results.spec.policies.first { $0.name == name }?.normalized.keepsWholeCache ?? false
            for budget in keepsWhole ? [results.spec.budgets.min() ?? 0] : results.spec.budgets.sorted() {
                guard let map = try? NeedleHeatmap.build(from: results, policy: name, budget: budget) else { continue }
                let file = keepsWhole ? "needle-\(name.rawValue)" : "needle-\(name.rawValue)-\(budget)"
                maps.append((file, map.svg(model: model)))
            }
        }
        return maps
    }
}
