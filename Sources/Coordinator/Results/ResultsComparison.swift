import Foundation
import FleetCore
import Statistics

/// `results compare EXP --baseline B`: every other policy × budget against the baseline row,
/// paired by sample (same sample id, same dataset), on the table's 0–100 scale: the mean
/// difference with a paired-bootstrap 95 % interval and how many samples got worse, better or
/// stayed equal. One line per dataset, and "all" pooling every paired sample.
public struct ResultsComparison: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var policy: String
        /// nil for a whole-cache row (FullKV).
        public var budget: Int?
        public var dataset: String
        public var n: Int
        public var baselineScore: Double
        public var score: Double
        public var difference: Double
        public var ciLow: Double
        public var ciHigh: Double
        public var worse: Int
        public var better: Int
        public var equal: Int

        private enum CodingKeys: String, CodingKey {
            case policy, budget, dataset, n, baselineScore = "baseline_score", score, difference,
                ciLow = "ci_low", ciHigh = "ci_high", worse, better, equal
        }
    }

    public var title: String
    /// The baseline row: "policy@budget", or "fullkv" for the whole-cache row.
    public var baseline: String
    public var rows: [Row]

    /// `baseline` is "policy@budget", or a bare policy name when it has one row (FullKV).
    public static func build(from results: ExperimentResults, baseline: String) throws(ResultsError) -> ResultsComparison {
        var scored: [RowKey: [String: [String: Double]]] = [:]
        var order: [RowKey] = []
        // One row per policy × job budget: FullKV ran once, so it is one row (no budget) that
        // every budget is compared against.
        for job in results.jobs {
            let key = RowKey(policy: ResultsTable.rowLabel(job.spec.policy), budget: job.spec.rowBudget)
            if !order.contains(key) { order.append(key) }
            for prediction in job.predictions {
                guard let score = prediction.score else { continue }
                scored[key, default: [:]][job.spec.dataset, default: [:]][prediction.sampleId] = score
            }
        }
        guard let base = resolve(baseline, among: order) else {
            throw .unknownBaseline(experiment: results.experiment, baseline: baseline,
                                   available: order.map { ResultsTable.label(policy: $0.policy, budget: $0.budget) })
        }
        let baseScores = scored[base] ?? [:]
        var rows: [Row] = []
        for key in order where key != base {
            let candidate = scored[key] ?? [:]
            var pooledCandidate: [String: Double] = [:]
            var pooledBaseline: [String: Double] = [:]
            for dataset in candidate.keys.sorted() {
                guard let reference = baseScores[dataset], let mine = candidate[dataset] else { continue }
                if let row = row(key, dataset: dataset, candidate: mine, baseline: reference) { rows.append(row) }
                for (id, score) in mine { pooledCandidate[dataset + "/" + id] = score }
                for (id, score) in reference { pooledBaseline[dataset + "/" + id] = score }
            }
            if candidate.count > 1,
               let row = row(key, dataset: "all", candidate: pooledCandidate, baseline: pooledBaseline) {
                rows.append(row)
            }
        }
        return ResultsComparison(title: ResultsTable.title(of: results.spec), baseline: ResultsTable.label(policy: base.policy, budget: base.budget),
                                 rows: rows)
    }

    private static func row(_ key: RowKey, dataset: String, candidate: [String: Double],
                            baseline: [String: Double]) -> Row? {
        guard let d = try? Paired.compare(candidate: candidate, baseline: baseline) else { return nil }
        return Row(policy: key.policy, budget: key.budget, dataset: dataset, n: d.n,
                   baselineScore: ResultsTable.roundTwo(100 * d.baselineMean),
                   score: ResultsTable.roundTwo(100 * d.candidateMean),
                   difference: ResultsTable.roundTwo(100 * d.meanDifference),
                   ciLow: ResultsTable.roundTwo(100 * d.ciLow), ciHigh: ResultsTable.roundTwo(100 * d.ciHigh),
                   worse: d.worse, better: d.better, equal: d.equal)
    }

    private static func resolve(_ name: String, among keys: [RowKey]) -> RowKey? {
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 2, let budget = Int(parts[1]) {
            return keys.first { $0.policy == String(parts[0]) && $0.budget == budget }
        }
        let matching = keys.filter { $0.policy == name }
        return matching.count == 1 ? matching[0] : nil
    }

    private struct RowKey: Hashable {
        let policy: String
        let budget: Int?
    }

    /// A Markdown table, one line per policy × budget × dataset.
    public func markdown() -> String {
        var lines = ["\(title): paired difference vs \(baseline) (score points, 95 % paired-bootstrap interval)", "",
                     "| policy | budget | dataset | n | baseline | score | Δ | 95 % CI | worse | better | equal |",
                     "|---|---|---|---|---|---|---|---|---|---|---|"]
        for row in rows {
            let share = { (count: Int) in String(format: "%d (%.0f%%)", count, 100 * Double(count) / Double(max(1, row.n))) }
            lines.append("| \(row.policy) | \(row.budget.map(String.init) ?? "") | \(row.dataset) | \(row.n) | "
                         + String(format: "%.2f | %.2f | %+.2f | [%+.2f, %+.2f]", row.baselineScore, row.score,
                                  SignedPoints.shown(row.difference), SignedPoints.shown(row.ciLow),
                                  SignedPoints.shown(row.ciHigh))
                         + " | \(share(row.worse)) | \(share(row.better)) | \(share(row.equal)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
