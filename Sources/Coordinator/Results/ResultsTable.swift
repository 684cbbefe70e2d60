import FleetCore
import PolicySpec
import Statistics
import TaskSpec

/// The paper's Table 1 layout: one row per policy × budget, one column per dataset (the needle
/// benchmark has the single column "needle"), plus the plain mean of the columns.
/// A cell is `100 · mean` of the per-sample primary scores (LongBench's dataset score) with n and
/// a seeded 95 % percentile-bootstrap interval; the average's interval resamples every dataset
/// on its own (`Bootstrap.meanOfMeans`). Unscored predictions are counted, not tabulated.
public struct ResultsTable: Codable, Sendable, Equatable {
    public struct Cell: Codable, Sendable, Equatable {
        public var score: Double
        public var n: Int
        public var ciLow: Double
        public var ciHigh: Double

        public init(score: Double, n: Int, ciLow: Double, ciHigh: Double) {
            self.score = score
            self.n = n
            self.ciLow = ciLow
            self.ciHigh = ciHigh
        }

        init(_ estimate: MeanEstimate) {
            let scaled = estimate.scaled(by: 100)
            score = ResultsTable.roundTwo(scaled.mean)
            n = estimate.n
            ciLow = ResultsTable.roundTwo(scaled.ciLow)
            ciHigh = ResultsTable.roundTwo(scaled.ciHigh)
        }

        /// Half the interval, as a table prints it after "±".
        public var plusMinus: Double { (ciHigh - ciLow) / 2 }

        private enum CodingKeys: String, CodingKey {
            case score, n, ciLow = "ci_low", ciHigh = "ci_high"
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var policy: String
        /// The KV budget; nil for a policy that keeps the whole cache (FullKV: one row, no budget).
        public var budget: Int?
        /// Column → cell; a column without scored samples is absent.
        public var cells: [String: Cell]
        public var average: Cell?
    }

    /// What the table measures ("needle (chat protocol)", "longbench").
    public var title: String
    public var columns: [String]
    public var rows: [Row]
    /// Predictions that have no score yet (left out of every cell).
    public var unscored: Int

    /// Builds the table from whatever has landed; throws only when nothing is scored.
    public static func build(from results: ExperimentResults) throws(ResultsError) -> ResultsTable {
        let predictions = results.jobs.flatMap(\.predictions)
        guard !predictions.isEmpty else {
            throw .noPredictions(experiment: results.experiment, filter: "any job")
        }
        let unscored = predictions.filter { $0.score == nil }.count
        guard unscored < predictions.count else {
            throw .scoresNotAvailable(experiment: results.experiment, unscored: unscored)
        }
        var columns: [String] = []
        var scores: [RowKey: [String: [Double]]] = [:]
        var rowOrder: [RowKey] = []
        for job in results.jobs {
            if !columns.contains(job.spec.dataset) { columns.append(job.spec.dataset) }
            // A FullKV job ran once for the sweep: one row without a budget.
            let key = RowKey(policy: rowLabel(job.spec.policy), budget: job.spec.rowBudget)
            if scores[key] == nil {
                scores[key] = [:]
                rowOrder.append(key)
            }
            scores[key]?[job.spec.dataset, default: []] += job.predictions.compactMap(\.score)
        }
        // Whole-cache rows first (the reference), then each policy's budgets in the spec's order:
        // job ids follow insertion, which differs when another experiment created shared jobs first.
        let policyRank = Dictionary(results.spec.policies.enumerated().map { (rowLabel($1), $0) }, uniquingKeysWith: min)
        let budgetRank = Dictionary(results.spec.budgets.enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        let seen = Dictionary(rowOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        func rank(_ key: RowKey) -> [Int] {
            [key.budget == nil ? 0 : 1, policyRank[key.policy] ?? Int.max,
             key.budget.map { budgetRank[$0] ?? Int.max } ?? -1, seen[key] ?? Int.max]
        }
        let ordered = rowOrder.sorted { rank($0).lexicographicallyPrecedes(rank($1)) }
        let datasetRank = Dictionary((results.spec.longbench?.datasets ?? []).enumerated().map { ($1.dataset, $0) },
                                     uniquingKeysWith: min)
        let columnSeen = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        columns.sort { (datasetRank[$0] ?? Int.max, columnSeen[$0] ?? 0) < (datasetRank[$1] ?? Int.max, columnSeen[$1] ?? 0) }
        let rows = ordered.map { key in
            let byColumn = scores[key] ?? [:]
            var cells: [String: Cell] = [:]
            for (column, values) in byColumn {
                if let estimate = Bootstrap.mean(values) { cells[column] = Cell(estimate) }
            }
            let strata = columns.compactMap { byColumn[$0] }
            return Row(policy: key.policy, budget: key.budget, cells: cells,
                       average: Bootstrap.meanOfMeans(strata).map(Cell.init))
        }
        return ResultsTable(title: title(of: results.spec), columns: columns, rows: rows, unscored: unscored)
    }

    /// The benchmark, and for the needle its prompt protocol (scores differ by protocol).
    public static func title(of spec: ExperimentSpec) -> String {
        switch spec.benchmark {
        case .needle: "needle (\(spec.needle?.settings.protocolLabel ?? NeedleSettings.defaultProtocolName) protocol"
            + "\(spec.question?.titleSuffix ?? ""))"
        case .longbench:
            // RULER's tasks travel in LongBench's record format (TaskFamily decides by dataset name).
            (spec.longbench?.datasets ?? []).allSatisfy { TaskFamily.of(dataset: $0.dataset) == .ruler } && spec.longbench?.datasets.isEmpty == false
                ? "RULER (LongBench record format\(spec.question?.titleSuffix ?? "")"
                    + "\(QuestionReuse.titleSuffix(questions: spec.questions, timing: spec.question ?? .aware)))" : "longbench"
        }
    }

    private struct RowKey: Hashable {
        let policy: String
        let budget: Int?
    }

    /// "fullkv" for a whole-cache row, else "snapkv@128": how the rows are named in
    /// comparisons, verdicts and status lines.
    public static func label(policy: String, budget: Int?) -> String {
        budget.map { "\(policy)@\($0)" } ?? policy
    }

    /// The policy name, with the preset when one is set ("snapkv (paper-2024)").
    static func rowLabel(_ policy: PolicyConfig) -> String {
        policy.preset.map { "\(policy.name.rawValue) (\($0.rawValue))" } ?? policy.name.rawValue
    }

    static func roundTwo(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    private enum CodingKeys: String, CodingKey {
        case title, columns, rows, unscored
    }
}
