import Foundation
import FleetCore
import Statistics

/// The needle grid of one policy × budget: per (length, depth) cell the mean primary score in
/// 0...1 with n and a 95 % bootstrap interval, and the overall mean over samples with its
/// interval (the needle score of the table). `results heatmap --format json` prints it.
public struct NeedleHeatmap: Codable, Sendable, Equatable {
    public struct Cell: Codable, Sendable, Equatable {
        public var length: Int
        public var depth: Int
        public var score: Double
        public var n: Int
        public var ciLow: Double
        public var ciHigh: Double

        public init(length: Int, depth: Int, score: Double, n: Int = 1, ciLow: Double? = nil, ciHigh: Double? = nil) {
            self.length = length
            self.depth = depth
            self.score = score
            self.n = n
            self.ciLow = ciLow ?? score
            self.ciHigh = ciHigh ?? score
        }

        private enum CodingKeys: String, CodingKey {
            case length, depth, score, n, ciLow = "ci_low", ciHigh = "ci_high"
        }
    }

    /// "snapkv @ 128, chat protocol".
    public var title: String
    public var cells: [Cell]
    public var overall: Double
    public var overallCiLow: Double
    public var overallCiHigh: Double
    /// Predictions of this policy × budget without a score yet (left out).
    public var unscored: Int

    public init(title: String, cells: [Cell], overall: Double, overallCiLow: Double, overallCiHigh: Double,
                unscored: Int = 0) {
        self.title = title
        self.cells = cells
        self.overall = overall
        self.overallCiLow = overallCiLow
        self.overallCiHigh = overallCiHigh
        self.unscored = unscored
    }

    public static func build(from results: ExperimentResults, policy: String,
                             budget: Int) throws(ResultsError) -> NeedleHeatmap {
        let jobs = results.jobs.filter {
            $0.spec.policy.name == policy && $0.spec.budgetsAnswered(in: results.spec.budgets).contains(budget)
        }
        let predictions = jobs.flatMap(\.predictions)
        guard !predictions.isEmpty else {
            throw .noPredictions(experiment: results.experiment, filter: "policy \(policy), budget \(budget)")
        }
        let unscored = predictions.filter { $0.score == nil }.count
        guard unscored < predictions.count else {
            throw .scoresNotAvailable(experiment: results.experiment, unscored: unscored)
        }
        var scores: [CellKey: [Double]] = [:]
        for prediction in predictions {
            guard let length = prediction.sample.length, let depth = prediction.sample.depth,
                  let score = prediction.score else { continue }
            scores[CellKey(length: length, depth: depth), default: []].append(score)
        }
        let keys = scores.keys.sorted { ($0.length, $0.depth) < ($1.length, $1.depth) }
        let cells = keys.compactMap { key -> Cell? in
            guard let estimate = Bootstrap.mean(scores[key]!) else { return nil }
            return Cell(length: key.length, depth: key.depth, score: estimate.mean, n: estimate.n,
                        ciLow: estimate.ciLow, ciHigh: estimate.ciHigh)
        }
        // Over samples: with one sample per cell (the usual grid) cells are the units resampled.
        let overall = Bootstrap.mean(keys.flatMap { scores[$0]! })
        let protocolName = results.spec.needle?.settings.protocolLabel ?? NeedleSettings.defaultProtocolName
        return NeedleHeatmap(title: "\(policy) @ \(budget), \(protocolName) protocol", cells: cells,
                             overall: overall?.mean ?? 0, overallCiLow: overall?.ciLow ?? 0,
                             overallCiHigh: overall?.ciHigh ?? 0, unscored: unscored)
    }

    private struct CellKey: Hashable {
        let length: Int
        let depth: Int
    }

    /// Depth down, length across, one digit per cell (score × 9, rounded); for terminals.
    public func terminalRendering() -> String {
        let lengths = Array(Set(cells.map(\.length))).sorted()
        let depths = Array(Set(cells.map(\.depth))).sorted()
        var lookup: [Int: [Int: Double]] = [:]
        for cell in cells { lookup[cell.depth, default: [:]][cell.length] = cell.score }
        var lines = [title, "depth\\length " + lengths.map { String($0) }.joined(separator: " ")]
        for depth in depths {
            let row = lengths.map { length -> String in
                let width = String(length).count
                let mark = lookup[depth]?[length].map { String(Int(($0 * 9).rounded())) } ?? "."
                return String(repeating: " ", count: max(0, width - 1)) + mark
            }
            lines.append(String(depth).padding(toLength: 13, withPad: " ", startingAt: 0) + row.joined(separator: " "))
        }
        lines.append(String(format: "overall %.3f [%.3f, %.3f] (cells 0–9 = score × 9)", overall, overallCiLow, overallCiHigh))
        if unscored > 0 { lines.append("\(unscored) predictions not scored yet (left out)") }
        return lines.joined(separator: "\n")
    }

    private enum CodingKeys: String, CodingKey {
        case title, cells, overall, overallCiLow = "overall_ci_low", overallCiHigh = "overall_ci_high", unscored
    }
}
