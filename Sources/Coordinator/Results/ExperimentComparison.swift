import Foundation
import FleetCore
import Statistics

/// Two experiments over the same samples, row by row (same policy × budget), paired by sample:
/// e.g. the same needle grid with the question after compression against question-aware.
/// Δ = candidate − baseline on the table's 0–100 scale with the paired bootstrap's 95 % interval.
public struct ExperimentComparison: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var difference: PairedDifference

        /// "better", "worse" (the interval excludes 0) or "no difference detected".
        public var verdict: String {
            difference.ciLow > 0 ? "better" : difference.ciHigh < 0 ? "worse" : "no difference detected"
        }
    }

    public var candidate: String
    public var baseline: String
    public var rows: [Row]

    /// Rows present in both experiments, in the candidate's table order; samples paired by
    /// dataset and sample id.
    public static func build(candidate: ExperimentResults, baseline: ExperimentResults) throws(ResultsError) -> ExperimentComparison {
        let mine = scoresByRow(candidate), theirs = scoresByRow(baseline)
        var rows: [Row] = []
        for label in try ResultsTable.build(from: candidate).rows.map({ ResultsTable.label(policy: $0.policy, budget: $0.budget) }) {
            guard let a = mine[label], let b = theirs[label], let d = try? Paired.compare(candidate: a, baseline: b) else { continue }
            rows.append(Row(label: label, difference: d))
        }
        return ExperimentComparison(candidate: "\(ResultsTable.title(of: candidate.spec)) (\(candidate.experiment))",
                                    baseline: "\(ResultsTable.title(of: baseline.spec)) (\(baseline.experiment))", rows: rows)
    }

    static func scoresByRow(_ results: ExperimentResults) -> [String: [String: Double]] {
        var scores: [String: [String: Double]] = [:]
        for job in results.jobs {
            let label = ResultsTable.label(policy: ResultsTable.rowLabel(job.spec.policy), budget: job.spec.rowBudget)
            for prediction in job.predictions {
                if let score = prediction.score { scores[label, default: [:]][job.spec.dataset + "/" + prediction.sampleId] = score }
            }
        }
        return scores
    }

    public func markdown() -> String {
        var lines = ["Δ = \(candidate) − \(baseline); paired by sample, 95 % paired-bootstrap interval, score points", "",
                     "| row | n | baseline | candidate | Δ | 95 % CI | worse / better / equal | verdict |",
                     "|---|---|---|---|---|---|---|---|"]
        for row in rows {
            let d = row.difference
            lines.append(String(format: "| %@ | %d | %.2f | %.2f | %+.2f | [%+.2f, %+.2f] | %d / %d / %d | %@ |", row.label, d.n,
                                100 * d.baselineMean, 100 * d.candidateMean, 100 * d.meanDifference, 100 * d.ciLow,
                                100 * d.ciHigh, d.worse, d.better, d.equal, row.verdict))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
