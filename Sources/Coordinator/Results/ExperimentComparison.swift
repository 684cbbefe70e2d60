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

    /// Which questions of `questions: k` records are compared: the leads (RULER's own records),
    /// the follow-ups (questions 2…k), or every sample.
    public enum Questions: String, Sendable, CaseIterable {
        case all, leads
        case followUps = "follow-ups"

        func admits(_ sample: SampleSpec) -> Bool {
            switch self {
            case .all: true
            case .leads: sample.questionIndex == nil
            case .followUps: sample.questionIndex != nil
            }
        }
    }

    public var candidate: String
    public var baseline: String
    public var rows: [Row]
    /// The samples compared (not `all`: the title says which).
    public var questions: Questions = .all

    /// Rows present in both experiments, in the candidate's table order; samples paired by
    /// dataset and sample id.
    public static func build(candidate: ExperimentResults, baseline: ExperimentResults,
                             questions: Questions = .all) throws(ResultsError) -> ExperimentComparison {
        let mine = scoresByRow(candidate, questions), theirs = scoresByRow(baseline, questions)
        var rows: [Row] = []
        for label in try ResultsTable.build(from: candidate).rows.map({ ResultsTable.label(policy: $0.policy, budget: $0.budget) }) {
            guard let a = mine[label], let b = theirs[label], let d = try? Paired.compare(candidate: a, baseline: b) else { continue }
            rows.append(Row(label: label, difference: d))
        }
        return ExperimentComparison(candidate: "\(ResultsTable.title(of: candidate.spec)) (\(candidate.experiment))",
                                    baseline: "\(ResultsTable.title(of: baseline.spec)) (\(baseline.experiment))", rows: rows,
                                    questions: questions)
    }

    static func scoresByRow(_ results: ExperimentResults, _ questions: Questions) -> [String: [String: Double]] {
        var scores: [String: [String: Double]] = [:]
        for job in results.jobs {
            let label = ResultsTable.label(policy: ResultsTable.rowLabel(job.spec.policy), budget: job.spec.rowBudget)
            for prediction in job.predictions where questions.admits(prediction.sample) {
                if let score = prediction.score { scores[label, default: [:]][job.spec.dataset + "/" + prediction.sampleId] = score }
            }
        }
        return scores
    }

    public func markdown() -> String {
        let only = questions == .all ? "" : " (\(questions == .leads ? "lead questions" : "follow-up questions") only)"
        var lines = ["Δ = \(candidate) − \(baseline)\(only); paired by sample, 95 % paired-bootstrap interval, score points", "",
                     "| row | n | baseline | candidate | Δ | 95 % CI | worse / better / equal | verdict |",
                     "|---|---|---|---|---|---|---|---|"]
        for row in rows {
            let d = row.difference
            lines.append(String(format: "| %@ | %d | %.2f | %.2f | %+.2f | [%+.2f, %+.2f] | %d / %d / %d | %@ |", row.label, d.n,
                                100 * d.baselineMean, 100 * d.candidateMean, SignedPoints.shown(100 * d.meanDifference),
                                SignedPoints.shown(100 * d.ciLow), SignedPoints.shown(100 * d.ciHigh), d.worse, d.better, d.equal, row.verdict))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
