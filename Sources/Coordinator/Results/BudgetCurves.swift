import FleetCore
import Statistics

/// The paper's main figure as data: per policy, the table's average score (with its 95 %
/// interval) at each KV budget, and the mean bytes its compressed cache held (memory
/// honesty: the x axis of the second figure). Whole-cache policies (FullKV) are one point,
/// drawn as a reference line.
public struct BudgetCurves: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var budget: Int?
        public var score: ResultsTable.Cell
        /// Mean over the row's predictions of the bytes the compressed cache held after prefill.
        public var meanKVBytes: Double
    }

    public struct Curve: Sendable, Equatable {
        public var policy: String
        public var points: [Point]
        public var keepsWholeCache: Bool { points.count == 1 && points[0].budget == nil }
    }

    public var title: String
    public var budgets: [Int]
    public var curves: [Curve]

    public static func build(from results: ExperimentResults) throws(ResultsError) -> BudgetCurves {
        let table = try ResultsTable.build(from: results)
        var bytes: [String: [Double]] = [:]
        for job in results.jobs {
            let label = ResultsTable.label(policy: ResultsTable.rowLabel(job.spec.policy), budget: job.spec.rowBudget)
            bytes[label, default: []] += job.predictions.map { Double($0.result.kvBytes) }
        }
        var curves: [Curve] = []
        for row in table.rows {
            guard let average = row.average else { continue }
            let label = ResultsTable.label(policy: row.policy, budget: row.budget)
            let held = bytes[label] ?? []
            let point = Point(budget: row.budget, score: average,
                              meanKVBytes: held.isEmpty ? 0 : held.reduce(0, +) / Double(held.count))
            if let index = curves.firstIndex(where: { $0.policy == row.policy }) {
                curves[index].points.append(point)
            } else {
                curves.append(Curve(policy: row.policy, points: [point]))
            }
        }
        for index in curves.indices {
            curves[index].points.sort { ($0.budget ?? .max) < ($1.budget ?? .max) }
        }
        return BudgetCurves(title: table.title, budgets: results.spec.budgets.sorted(), curves: curves)
    }
}
