/// One strip per layer: the prompt from position 0 (left) to the last token (right), shaded by
/// the share of the layer's cache streams (heads) that kept each stretch; the needle's tokens
/// are a yellow band drawn over all strips. A strip that stays light over the band is a layer that
/// dropped the needle.
enum KeptPositionsSVG {
    static let width = 640
    static let rowHeight = 9
    static let labelWidth = 92

    static func render(_ inspection: SampleInspection) -> String {
        let n = max(1, inspection.promptTokens)
        let bins = min(n, 320)
        let binWidth = Double(width) / Double(bins)
        let height = inspection.layers.count * (rowHeight + 2) + 22
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kept-strips\" width=\"\(labelWidth + width + 4)\" "
            + "height=\"\(height)\" role=\"img\" aria-label=\"prompt positions kept per layer\">"
        for (row, layer) in inspection.layers.enumerated() {
            let y = row * (rowHeight + 2)
            let streams = max(1, layer.kept.count)
            var counts = [Int](repeating: 0, count: bins)
            var capacity = [Int](repeating: 0, count: bins)
            for position in 0..<n { capacity[position * bins / n] += streams }
            for stream in layer.kept {
                for position in stream where position >= 0 && position < n { counts[position * bins / n] += 1 }
            }
            let keptTotal = layer.kept.map(\.count).reduce(0, +)
            svg += "<g class=\"layer\" data-layer=\"\(layer.layer)\" data-kept=\"\(keptTotal / streams)\">"
                + "<text x=\"0\" y=\"\(y + rowHeight - 1)\">L\(layer.layer) keeps \(layer.budget)</text>"
                + "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(width)\" height=\"\(rowHeight)\" fill=\"#eef1f6\"/>"
            // Runs of equal shade become one rect (five shades), so a strip is a few dozen elements.
            var start = 0
            while start < bins {
                let level = shade(counts[start], capacity[start])
                var end = start + 1
                while end < bins && shade(counts[end], capacity[end]) == level { end += 1 }
                if level > 0 {
                    svg += "<rect x=\"\(fmt(Double(labelWidth) + Double(start) * binWidth))\" y=\"\(y)\" "
                        + "width=\"\(fmt(Double(end - start) * binWidth))\" height=\"\(rowHeight)\" fill=\"#1f4fb8\" "
                        + "fill-opacity=\"\(fmt(Double(level) / 4))\"/>"
                }
                start = end
            }
            svg += "</g>"
        }
        // The needle band goes over the strips, so a dropped needle shows as a gap inside it.
        if let span = inspection.needleSpan {
            let x0 = Double(labelWidth) + Double(span.lowerBound) / Double(n) * Double(width)
            let x1 = Double(labelWidth) + Double(span.upperBound) / Double(n) * Double(width)
            svg += "<rect class=\"needle-band\" x=\"\(fmt(x0))\" y=\"0\" width=\"\(fmt(max(1.5, x1 - x0)))\" "
                + "height=\"\(height - 20)\" fill=\"#ffd84d\" fill-opacity=\"0.35\" stroke=\"#d39e00\"/>"
        }
        let axis = inspection.layers.count * (rowHeight + 2) + 12
        svg += "<text x=\"\(labelWidth)\" y=\"\(axis)\">0</text>"
            + "<text x=\"\(labelWidth + width)\" y=\"\(axis)\" text-anchor=\"end\">\(n - 1)</text>"
            + "<text x=\"\(labelWidth + width / 2)\" y=\"\(axis)\" text-anchor=\"middle\">prompt position</text></svg>"
        return svg
    }

    /// 0 (none kept) … 4 (all streams kept all of the stretch).
    static func shade(_ count: Int, _ capacity: Int) -> Int {
        guard count > 0, capacity > 0 else { return 0 }
        return min(4, Int((Double(count) / Double(capacity) * 4).rounded(.up)))
    }

    static func fmt(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
