// The needle heatmap's colour map as KVCache-Factory's visualize.py draws it with seaborn:
// LinearSegmentedColormap.from_list(["#F0496E", "#EBB839", "#0CD79F"]) (256-entry LUT),
// vmin 0, vmax 1, colour index int(score · 256) clipped to 255.

public struct RGB: Sendable, Equatable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    public var hex: String {
        let digits = Array("0123456789ABCDEF")
        return "#" + [r, g, b].map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined()
    }
}

public enum NeedleColormap {
    public static let anchors: [(Double, Double, Double)] = [
        (240 / 255.0, 73 / 255.0, 110 / 255.0),   // #F0496E at 0
        (235 / 255.0, 184 / 255.0, 57 / 255.0),   // #EBB839 at 0.5
        (12 / 255.0, 215 / 255.0, 159 / 255.0),   // #0CD79F at 1
    ]
    public static let size = 256

    /// matplotlib `_create_lookup_table` for three evenly spaced anchors.
    static let lut: [(Double, Double, Double)] = (0..<size).map { i in
        if i == 0 { return anchors[0] }
        if i == size - 1 { return anchors[2] }
        let x = Double(i) / Double(size - 1)
        let hi = x <= 0.5 ? 1 : 2
        let x0 = Double(hi - 1) * 0.5
        let d = (x - x0) / 0.5
        let a = anchors[hi - 1], b = anchors[hi]
        return (d * (b.0 - a.0) + a.0, d * (b.1 - a.1) + a.1, d * (b.2 - a.2) + a.2)
    }

    /// The colour of a score in [0, 1] (clipped), or nil for NaN (seaborn leaves it blank).
    public static func color(for score: Double) -> RGB? {
        if score.isNaN { return nil }
        var i = Int((min(max(score, 0), 1) * Double(size)).rounded(.down))
        if i >= size { i = size - 1 }
        let c = lut[i]
        func byte(_ v: Double) -> UInt8 { UInt8((v * 255).rounded(.toNearestOrEven)) }
        return RGB(byte(c.0), byte(c.1), byte(c.2))
    }
}
