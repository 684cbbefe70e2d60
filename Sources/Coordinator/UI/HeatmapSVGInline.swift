import KVEval

/// One policy's needle grid as inline SVG: depth down, length across, KVCache-Factory's colours
/// (KVEval's `NeedleColormap`); each cell links to its sample's page and carries its score in a
/// tooltip. Cells without a score are left blank, as seaborn does.
enum HeatmapSVGInline {
    struct Target {
        var href: String
        var label: String
    }

    static func render(_ heatmap: NeedleHeatmap, lengths: [Int], depths: [Int],
                       targets: [Int: [Int: Target]]) -> String {
        let cellWidth = max(10, min(44, 520 / max(1, lengths.count)))
        let cellHeight = 24
        let left = 40, top = 8, bottom = 34
        let width = max(left + cellWidth * lengths.count + 8, 170)  // room for the axis title
        let height = top + cellHeight * depths.count + bottom
        var lookup: [Int: [Int: NeedleHeatmap.Cell]] = [:]
        for cell in heatmap.cells { lookup[cell.depth, default: [:]][cell.length] = cell }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"needle-heatmap\" width=\"\(width)\" "
            + "height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" "
            + "aria-label=\"\(HTML.escape(heatmap.title))\">"
        for (row, depth) in depths.enumerated() {
            let y = top + row * cellHeight
            svg += "<text x=\"\(left - 4)\" y=\"\(y + cellHeight / 2 + 3)\" text-anchor=\"end\">\(depth)%</text>"
            for (column, length) in lengths.enumerated() {
                let x = left + column * cellWidth
                guard let cell = lookup[depth]?[length] else {
                    svg += "<rect class=\"empty\" x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth)\" height=\"\(cellHeight)\" "
                        + "fill=\"#f1f2f5\" stroke=\"#fff\"/>"
                    continue
                }
                let colour = NeedleColormap.color(for: cell.score)?.hex ?? "#ffffff"
                let tip = "length \(length), depth \(depth)%: score \(UIFormat.fixed(cell.score, 3)) (n \(cell.n)"
                    + (cell.n > 1 ? ", 95 % CI \(UIFormat.fixed(cell.ciLow, 3))–\(UIFormat.fixed(cell.ciHigh, 3)))" : ")")
                let rect = "<rect class=\"cell\" data-length=\"\(length)\" data-depth=\"\(depth)\" "
                    + "data-score=\"\(UIFormat.fixed(cell.score, 4))\" x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth)\" "
                    + "height=\"\(cellHeight)\" fill=\"\(colour)\" stroke=\"#fff\"><title>\(HTML.escape(tip))</title></rect>"
                if let target = targets[depth]?[length] {
                    svg += "<a href=\"\(HTML.escape(target.href))\" aria-label=\"\(HTML.escape(target.label))\">\(rect)</a>"
                } else {
                    svg += rect
                }
            }
        }
        let axisY = top + cellHeight * depths.count
        let every = max(1, lengths.count / 8)
        for (column, length) in lengths.enumerated() where column % every == 0 {
            let x = left + column * cellWidth + cellWidth / 2
            svg += "<text x=\"\(x)\" y=\"\(axisY + 13)\" text-anchor=\"middle\">\(length)</text>"
        }
        svg += "<text x=\"\(max(left + cellWidth * lengths.count / 2, width / 2))\" y=\"\(axisY + 28)\" text-anchor=\"middle\">"
            + "context length (tokens)</text></svg>"
        return svg
    }

    /// The colour bar 0 … 1.
    static let legend: String = {
        var stops = ""
        for i in 0...10 {
            let score = Double(i) / 10
            stops += "<stop offset=\"\(i * 10)%\" stop-color=\"\(NeedleColormap.color(for: score)?.hex ?? "#fff")\"/>"
        }
        return "<span>0</span><svg width=\"160\" height=\"10\" aria-hidden=\"true\"><defs><linearGradient id=\"needle-scale\">"
            + stops + "</linearGradient></defs><rect width=\"160\" height=\"10\" fill=\"url(#needle-scale)\"/></svg>"
            + "<span>1 (score: share of the answer's words in the response)</span>"
    }()
}
