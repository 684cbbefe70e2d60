import FleetCore

/// The paper's Table 1 layout: one row per policy × budget, one column per dataset (the needle
/// benchmark has the single column "needle"), plus the plain mean of the columns.
/// Scores are `round(100 · mean, 2)` of the per-sample scores (LongBench's dataset score).
public struct ResultsTable: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var policy: String
        public var budget: Int
        /// Column → score, in `columns` order.
        public var scores: [String: Double]
        public var average: Double
    }

    public var columns: [String]
    public var rows: [Row]

    /// Builds the table; every prediction must carry a score.
    public static func build(from results: ExperimentResults) throws(ResultsError) -> ResultsTable {
        let predictions = results.jobs.flatMap(\.predictions)
        let unscored = predictions.filter { $0.score == nil }.count
        guard unscored == 0 else {
            throw .scoresNotAvailable(experiment: results.experiment, unscored: unscored)
        }
        guard !predictions.isEmpty else {
            throw .noPredictions(experiment: results.experiment, filter: "any job")
        }
        var columns: [String] = []
        var sums: [RowKey: [String: (total: Double, count: Int)]] = [:]
        var rowOrder: [RowKey] = []
        for job in results.jobs {
            if !columns.contains(job.spec.dataset) { columns.append(job.spec.dataset) }
            // A FullKV job ran once for the sweep; its row repeats at every budget, as in the paper.
            for budget in job.spec.budgetsAnswered(in: results.spec.budgets) {
                let key = RowKey(policy: rowLabel(job.spec.policy), budget: budget)
                if sums[key] == nil {
                    sums[key] = [:]
                    rowOrder.append(key)
                }
                for prediction in job.predictions {
                    let old = sums[key]?[job.spec.dataset] ?? (0, 0)
                    sums[key]?[job.spec.dataset] = (old.total + (prediction.score ?? 0), old.count + 1)
                }
            }
        }
        let rows = rowOrder.map { key in
            var scores: [String: Double] = [:]
            for (column, sum) in sums[key] ?? [:] where sum.count > 0 {
                scores[column] = roundTwo(100 * sum.total / Double(sum.count))
            }
            let present = columns.compactMap { scores[$0] }
            let average = present.isEmpty ? 0 : roundTwo(present.reduce(0, +) / Double(present.count))
            return Row(policy: key.policy, budget: key.budget, scores: scores, average: average)
        }
        return ResultsTable(columns: columns, rows: rows)
    }

    private struct RowKey: Hashable {
        let policy: String
        let budget: Int
    }

    /// The policy name, with the preset when one is set ("snapkv (paper-2024)").
    static func rowLabel(_ policy: PolicyConfig) -> String {
        policy.preset.map { "\(policy.name) (\($0))" } ?? policy.name
    }

    static func roundTwo(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
