import Foundation
import Statistics

/// One scored needle cell: a context length, a depth percent and a score in 0...1.
public struct NeedleScore: Sendable, Equatable {
    public var length: Int
    public var depth: Int
    public var score: Double
    public init(length: Int, depth: Int, score: Double) { self.length = length; self.depth = depth; self.score = score }
}

/// The needle heatmap, the one type for every producer (a local run's cell scores, the
/// coordinator's stored results) and every output (JSON, terminal, the reference SVG; the
/// coordinator's pages draw its cells inline). Per (length, depth) cell: the mean score in 0...1
/// with n and a 95 % bootstrap interval (repeated cells are averaged, as visualize.py's pivot
/// does); the overall mean over all scores with its interval. `results heatmap --format json`
/// prints it; WireFormatGoldenTests pins its JSON.
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

    /// "snapkv @ 128, chat protocol", or the model of a local run.
    public var title: String
    /// Sorted by (length, depth).
    public var cells: [Cell]
    public var overall: Double
    public var overallCiLow: Double
    public var overallCiHigh: Double
    /// Predictions without a score yet (left out).
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

    /// The heatmap of `scores`: repeated cells averaged with their interval; the overall over
    /// all scores (with one score per cell, the usual grid, cells are the units resampled).
    /// With no scores the overall is NaN.
    public init(title: String, scores: [NeedleScore], unscored: Int = 0) {
        var byCell: [CellKey: [Double]] = [:]
        for s in scores { byCell[CellKey(length: s.length, depth: s.depth), default: []].append(s.score) }
        let keys = byCell.keys.sorted { ($0.length, $0.depth) < ($1.length, $1.depth) }
        let cells = keys.compactMap { key -> Cell? in
            guard let estimate = Bootstrap.mean(byCell[key]!) else { return nil }
            return Cell(length: key.length, depth: key.depth, score: estimate.mean, n: estimate.n,
                        ciLow: estimate.ciLow, ciHigh: estimate.ciHigh)
        }
        let overall = Bootstrap.mean(keys.flatMap { byCell[$0]! })
        self.init(title: title, cells: cells, overall: overall?.mean ?? .nan, overallCiLow: overall?.ciLow ?? .nan,
                  overallCiHigh: overall?.ciHigh ?? .nan, unscored: unscored)
    }

    private struct CellKey: Hashable {
        let length: Int
        let depth: Int
    }

    /// The grid's columns (context lengths) and rows (depths), ascending.
    public var lengths: [Int] { Array(Set(cells.map(\.length))).sorted() }
    public var depths: [Int] { Array(Set(cells.map(\.depth))).sorted() }

    /// scores[depthIndex][lengthIndex] over `lengths` × `depths`, nil where no result exists.
    public var grid: [[Double?]] {
        var lookup: [Int: [Int: Double]] = [:]
        for cell in cells { lookup[cell.depth, default: [:]][cell.length] = cell.score }
        let lengths = lengths
        return depths.map { depth in lengths.map { lookup[depth]?[$0] } }
    }

    /// Depth down, length across, one digit per cell (score × 9, rounded); for terminals and logs.
    public func terminalRendering() -> String {
        let lengths = lengths
        var lines = [title, "depth\\length " + lengths.map { String($0) }.joined(separator: " ")]
        for (depth, row) in zip(depths, grid) {
            let marks = zip(lengths, row).map { length, score -> String in
                let mark = score.map { String(Int(($0 * 9).rounded())) } ?? "."
                return String(repeating: " ", count: max(0, String(length).count - 1)) + mark
            }
            lines.append(String(depth).padding(toLength: 13, withPad: " ", startingAt: 0) + marks.joined(separator: " "))
        }
        lines.append(overall.isNaN ? "overall n/a"
            : String(format: "overall %.3f [%.3f, %.3f] (cells 0–9 = score × 9)", overall, overallCiLow, overallCiHigh))
        if unscored > 0 { lines.append("\(unscored) predictions not scored yet (left out)") }
        return lines.joined(separator: "\n")
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// "Overall score: 0.500 (acc 50.0)", as visualize.py prints it.
    public var overallLabel: String {
        overall.isNaN ? "Overall score: n/a" : String(format: "Overall score: %.3f (acc %.1f)", overall, overall * 100)
    }

    /// The reference picture as KVCache-Factory's visualize.py draws it: one `<rect class="cell">`
    /// per grid cell with a result (depth on y, top row = smallest depth as seaborn draws it;
    /// length on x), grey 0.5 grid lines, the title "Pressure Testing <model>, <title>", axis
    /// labels "Token Limit" / "Depth Percent", a colour bar from 0 to 1 and the overall score.
    public func svg(model: String? = nil, cellWidth: Double = 18, cellHeight: Double = 28) -> String {
        let lengths = lengths, depths = depths, grid = grid
        let subject = [model, title].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        let heading = "Pressure Testing \(subject) \nFact Retrieval Across Context Lengths (\"Needle In A HayStack\")"
        let left = 90.0, top = 70.0, barGap = 30.0, barWidth = 18.0
        let w = Double(lengths.count) * cellWidth, h = Double(depths.count) * cellHeight
        let width = left + w + barGap + barWidth + 60, height = top + h + 90
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#
        s += "\n"
        for (i, line) in heading.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            s += #"<text class="title" x="\#(left + w / 2)" y="\#(20 + Double(i) * 16)" text-anchor="middle" font-size="14">\#(Self.escape(String(line)))</text>"# + "\n"
        }
        for (d, row) in grid.enumerated() {
            for (l, v) in row.enumerated() {
                guard let v, let c = NeedleColormap.color(for: v) else { continue }
                s += #"<rect class="cell" x="\#(left + Double(l) * cellWidth)" y="\#(top + Double(d) * cellHeight)" width="\#(cellWidth)" height="\#(cellHeight)" fill="\#(c.hex)" stroke="grey" stroke-width="0.5" data-length="\#(lengths[l])" data-depth="\#(depths[d])" data-score="\#(v)"/>"# + "\n"
            }
        }
        for (l, len) in lengths.enumerated() {
            let x = left + (Double(l) + 0.5) * cellWidth, y = top + h + 12
            s += #"<text class="xtick" x="\#(x)" y="\#(y)" transform="rotate(45 \#(x) \#(y))" text-anchor="start">\#(len)</text>"# + "\n"
        }
        for (d, depth) in depths.enumerated() {
            s += #"<text class="ytick" x="\#(left - 6)" y="\#(top + (Double(d) + 0.5) * cellHeight + 4)" text-anchor="end">\#(depth)</text>"# + "\n"
        }
        s += #"<text class="xlabel" x="\#(left + w / 2)" y="\#(top + h + 60)" text-anchor="middle" font-size="13">Token Limit</text>"# + "\n"
        s += #"<text class="ylabel" x="20" y="\#(top + h / 2)" text-anchor="middle" font-size="13" transform="rotate(-90 20 \#(top + h / 2))">Depth Percent</text>"# + "\n"
        s += #"<text class="overall" x="\#(left + w / 2)" y="\#(top + h + 80)" text-anchor="middle">\#(overallLabel)</text>"# + "\n"
        let bx = left + w + barGap
        s += ##"<defs><linearGradient id="needle-cmap" x1="0" y1="1" x2="0" y2="0"><stop offset="0" stop-color="#F0496E"/><stop offset="0.5" stop-color="#EBB839"/><stop offset="1" stop-color="#0CD79F"/></linearGradient></defs>"## + "\n"
        s += #"<rect class="colorbar" x="\#(bx)" y="\#(top)" width="\#(barWidth)" height="\#(h)" fill="url(#needle-cmap)"/>"# + "\n"
        for v in [0.0, 0.2, 0.4, 0.6, 0.8, 1.0] {
            s += #"<text class="cbtick" x="\#(bx + barWidth + 4)" y="\#(top + h - v * h + 4)">\#(String(format: "%.1f", v))</text>"# + "\n"
        }
        s += "</svg>\n"
        return s
    }

    private enum CodingKeys: String, CodingKey {
        case title, cells, overall, overallCiLow = "overall_ci_low", overallCiHigh = "overall_ci_high", unscored
    }
}
