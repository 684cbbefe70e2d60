import Foundation
import FleetCore

/// The needle grid of one policy × budget: mean score per (length, depth) cell in 0...1 and the
/// overall mean over cells (design §3). `results heatmap --format json` prints it.
public struct NeedleHeatmap: Codable, Sendable, Equatable {
    public struct Cell: Codable, Sendable, Equatable {
        public var length: Int
        public var depth: Int
        public var score: Double

        public init(length: Int, depth: Int, score: Double) {
            self.length = length
            self.depth = depth
            self.score = score
        }
    }

    public var cells: [Cell]
    public var overall: Double

    public init(cells: [Cell], overall: Double) {
        self.cells = cells
        self.overall = overall
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
        guard unscored == 0 else {
            throw .scoresNotAvailable(experiment: results.experiment, unscored: unscored)
        }
        var sums: [CellKey: (total: Double, count: Int)] = [:]
        for prediction in predictions {
            guard let length = prediction.sample.length, let depth = prediction.sample.depth else { continue }
            let key = CellKey(length: length, depth: depth)
            let old = sums[key] ?? (0, 0)
            sums[key] = (old.total + (prediction.score ?? 0), old.count + 1)
        }
        let cells = sums.keys.sorted { ($0.length, $0.depth) < ($1.length, $1.depth) }.map { key in
            Cell(length: key.length, depth: key.depth, score: sums[key]!.total / Double(sums[key]!.count))
        }
        let overall = cells.isEmpty ? 0 : cells.map(\.score).reduce(0, +) / Double(cells.count)
        return NeedleHeatmap(cells: cells, overall: overall)
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
        var lines = ["depth\\length " + lengths.map { String($0) }.joined(separator: " ")]
        for depth in depths {
            let row = lengths.map { length -> String in
                let width = String(length).count
                let mark = lookup[depth]?[length].map { String(Int(($0 * 9).rounded())) } ?? "."
                return String(repeating: " ", count: max(0, width - 1)) + mark
            }
            lines.append(String(depth).padding(toLength: 13, withPad: " ", startingAt: 0) + row.joined(separator: " "))
        }
        lines.append("overall \(String(format: "%.3f", overall)) (cells 0–9 = score × 9)")
        return lines.joined(separator: "\n")
    }
}

/// Turns a heatmap into a picture file. The SVG renderer (colours #F0496E → #EBB839 → #0CD79F)
/// belongs with the KVEval plotting work; until it lands, `UnavailableHeatmapRenderer` answers.
public protocol HeatmapRenderer: Sendable {
    func svg(_ heatmap: NeedleHeatmap, title: String) throws(ResultsError) -> String
}

public struct UnavailableHeatmapRenderer: HeatmapRenderer {
    public init() {}

    public func svg(_ heatmap: NeedleHeatmap, title: String) throws(ResultsError) -> String {
        throw .rendererNotAvailable(format: "SVG")
    }
}
