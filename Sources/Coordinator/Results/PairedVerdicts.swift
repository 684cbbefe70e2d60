import Foundation
import FleetCore
import Statistics

/// The report's verdict lines: one candidate policy against one baseline policy at each
/// budget, paired by sample (every dataset's samples pooled), on the table's 0–100 scale:
/// "pyramidkv − snapkv @ 128 = +3.20 [−1.10, +7.50], n 40, worse 5 / better 9 / equal 26: no
/// difference detected". The interval is the paired bootstrap's 95 % percentile interval at
/// each budget on its own (not adjusted for the number of budgets).
public struct PairedVerdicts: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var budget: Int
        public var difference: PairedDifference

        /// "better", "worse" (the interval excludes 0) or "no difference detected".
        public var verdict: String {
            difference.ciLow > 0 ? "better" : difference.ciHigh < 0 ? "worse" : "no difference detected"
        }
    }

    public var candidate: String
    public var baseline: String
    public var lines: [Line]

    public static func build(from results: ExperimentResults, candidate: String, baseline: String) -> PairedVerdicts {
        var lines: [Line] = []
        for budget in results.spec.budgets.sorted() {
            let mine = scores(results, policy: candidate, budget: budget)
            let theirs = scores(results, policy: baseline, budget: budget)
            guard let difference = try? Paired.compare(candidate: mine, baseline: theirs) else { continue }
            lines.append(Line(budget: budget, difference: difference))
        }
        return PairedVerdicts(candidate: candidate, baseline: baseline, lines: lines)
    }

    /// "dataset/sample" → primary score of the policy's job(s) at `budget` (the whole-cache
    /// job stands for every budget).
    static func scores(_ results: ExperimentResults, policy: String, budget: Int) -> [String: Double] {
        var scores: [String: Double] = [:]
        for job in results.jobs where ResultsTable.rowLabel(job.spec.policy) == policy
            && job.spec.budgetsAnswered(in: results.spec.budgets).contains(budget) {
            for prediction in job.predictions {
                if let score = prediction.score { scores[job.spec.dataset + "/" + prediction.sampleId] = score }
            }
        }
        return scores
    }

    /// One Markdown bullet per budget.
    public func markdown() -> String {
        lines.map { line in
            let d = line.difference
            return String(format: "- %@ − %@ @ %d = %+.2f [%+.2f, %+.2f], n %d, worse %d / better %d / equal %d: **%@**",
                          candidate, baseline, line.budget, SignedPoints.shown(100 * d.meanDifference),
                          SignedPoints.shown(100 * d.ciLow), SignedPoints.shown(100 * d.ciHigh),
                          d.n, d.worse, d.better, d.equal, line.verdict)
        }.joined(separator: "\n") + (lines.isEmpty ? "- (no budget has scores for both)\n" : "\n")
    }

    /// Several comparisons of one candidate as one Markdown table: a row per budget, a column
    /// per baseline, each cell "Δ [lo, hi]" with ▲ (better), ▼ (worse) or = (no difference detected).
    public static func table(_ comparisons: [PairedVerdicts]) -> String {
        guard let first = comparisons.first else { return "" }
        let budgets = Array(Set(comparisons.flatMap { $0.lines.map(\.budget) })).sorted()
        var lines = ["| budget | " + comparisons.map { "\(first.candidate) − \($0.baseline)" }.joined(separator: " | ") + " |",
                     "|---|" + comparisons.map { _ in "---" }.joined(separator: "|") + "|"]
        for budget in budgets {
            let cells = comparisons.map { comparison -> String in
                guard let line = comparison.lines.first(where: { $0.budget == budget }) else { return "–" }
                let d = line.difference
                let mark = line.verdict == "better" ? "▲" : line.verdict == "worse" ? "▼" : "="
                return String(format: "%@ %+.1f [%+.1f, %+.1f] n %d", mark, SignedPoints.shown(100 * d.meanDifference, decimals: 1),
                              SignedPoints.shown(100 * d.ciLow, decimals: 1), SignedPoints.shown(100 * d.ciHigh, decimals: 1), d.n)
            }
            lines.append("| \(budget) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n\n▲ better, ▼ worse (the 95 % paired interval excludes 0), = no difference detected.\n"
    }
}
