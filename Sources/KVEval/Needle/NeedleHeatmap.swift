import Foundation

/// One needle-in-a-haystack cell result.
public struct NeedleCell: Sendable, Codable, Equatable {
    public var length: Int
    public var depth: Double
    public var score: Double
    public init(length: Int, depth: Double, score: Double) { self.length = length; self.depth = depth; self.score = score }
}

/// The score grid as visualize.py pivots it (index = depth, columns = context length, mean of
/// repeated cells), with the overall score = mean over all cell results.
public struct NeedleHeatmap: Sendable {
    public var title: String
    public var lengths: [Int]
    public var depths: [Double]
    /// grid[depthIndex][lengthIndex], nil where no result exists.
    public var grid: [[Double?]]
    public var overallScore: Double

    public init(cells: [NeedleCell], model: String) {
        title = "Pressure Testing \(model) \nFact Retrieval Across Context Lengths (\"Needle In A HayStack\")"
        lengths = Array(Set(cells.map(\.length))).sorted()
        depths = Array(Set(cells.map(\.depth))).sorted()
        var sums = [[Double]](repeating: [Double](repeating: 0, count: lengths.count), count: depths.count)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: lengths.count), count: depths.count)
        let li = Dictionary(uniqueKeysWithValues: lengths.enumerated().map { ($1, $0) })
        let di = Dictionary(uniqueKeysWithValues: depths.enumerated().map { ($1, $0) })
        for c in cells {
            sums[di[c.depth]!][li[c.length]!] += c.score
            counts[di[c.depth]!][li[c.length]!] += 1
        }
        var g: [[Double?]] = []
        for d in 0..<depths.count {
            var row: [Double?] = []
            for l in 0..<lengths.count {
                row.append(counts[d][l] == 0 ? nil : sums[d][l] / Double(counts[d][l]))
            }
            g.append(row)
        }
        grid = g
        overallScore = cells.isEmpty ? .nan : cells.map(\.score).reduce(0, +) / Double(cells.count)
    }

    static func label(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public var overallLabel: String {
        overallScore.isNaN ? "Overall score: n/a" : String(format: "Overall score: %.3f (acc %.1f)", overallScore, overallScore * 100)
    }

    /// An SVG: one `<rect class="cell">` per grid cell with a result (depth on y, top row =
    /// smallest depth as seaborn draws it; length on x), grey 0.5 grid lines, title, axis labels
    /// "Token Limit" / "Depth Percent", a colour bar from 0 to 1 and the overall score.
    public func svg(cellWidth: Double = 18, cellHeight: Double = 28) -> String {
        let left = 90.0, top = 70.0, barGap = 30.0, barWidth = 18.0
        let w = Double(lengths.count) * cellWidth, h = Double(depths.count) * cellHeight
        let width = left + w + barGap + barWidth + 60, height = top + h + 90
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#
        s += "\n"
        let titleLines = title.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in titleLines.enumerated() {
            s += #"<text class="title" x="\#(left + w / 2)" y="\#(20 + Double(i) * 16)" text-anchor="middle" font-size="14">\#(Self.escape(String(line)))</text>"# + "\n"
        }
        for (d, row) in grid.enumerated() {
            for (l, v) in row.enumerated() {
                guard let v, let c = NeedleColormap.color(for: v) else { continue }
                s += #"<rect class="cell" x="\#(left + Double(l) * cellWidth)" y="\#(top + Double(d) * cellHeight)" width="\#(cellWidth)" height="\#(cellHeight)" fill="\#(c.hex)" stroke="grey" stroke-width="0.5" data-length="\#(lengths[l])" data-depth="\#(Self.label(depths[d]))" data-score="\#(v)"/>"# + "\n"
            }
        }
        for (l, len) in lengths.enumerated() {
            let x = left + (Double(l) + 0.5) * cellWidth, y = top + h + 12
            s += #"<text class="xtick" x="\#(x)" y="\#(y)" transform="rotate(45 \#(x) \#(y))" text-anchor="start">\#(len)</text>"# + "\n"
        }
        for (d, depth) in depths.enumerated() {
            s += #"<text class="ytick" x="\#(left - 6)" y="\#(top + (Double(d) + 0.5) * cellHeight + 4)" text-anchor="end">\#(Self.label(depth))</text>"# + "\n"
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

    /// A terminal rendering: one coloured block per cell (24-bit ANSI background), depth rows,
    /// a sparse length axis and the overall score.
    public func ansi(cellWidth: Int = 2) -> String {
        let depthWidth = max(5, depths.map { Self.label($0).count }.max() ?? 0)
        var out = title.replacingOccurrences(of: " \n", with: "\n") + "\n"
        for (d, row) in grid.enumerated() {
            out += Self.label(depths[d]).padding(toLength: depthWidth, withPad: " ", startingAt: 0) + " "
            for v in row {
                if let v, let c = NeedleColormap.color(for: v) {
                    out += "\u{1B}[48;2;\(c.r);\(c.g);\(c.b)m" + String(repeating: " ", count: cellWidth) + "\u{1B}[0m"
                } else {
                    out += String(repeating: "·", count: cellWidth)
                }
            }
            out += "\n"
        }
        // x axis: a label every ~10 columns
        var axis = [Character](repeating: " ", count: lengths.count * cellWidth + 12)
        var next = 0
        for (l, len) in lengths.enumerated() where l * cellWidth >= next {
            let t = Array(String(len))
            for (k, ch) in t.enumerated() where l * cellWidth + k < axis.count { axis[l * cellWidth + k] = ch }
            next = l * cellWidth + t.count + 2
        }
        out += String(repeating: " ", count: depthWidth + 1) + String(axis).trimmingCharacters(in: .whitespaces) + "\n"
        out += "Depth Percent (rows) × Token Limit (columns)   " + overallLabel + "\n"
        return out
    }
}
