import Foundation

/// SVG line charts of `BudgetCurves`: score (0–100) against the KV budget, or against the mean
/// bytes the compressed cache held, both on log₂ axes; one line per policy with its 95 %
/// interval as a shaded band, whole-cache policies as a dashed reference line. Plain SVG, no
/// script, so it renders in a Markdown viewer, a browser and the experiment page alike.
public enum BudgetCurvesSVG {
    public enum Axis: Sendable { case budget, kvBytes }

    static let width = 680.0, height = 400.0
    static let left = 60.0, right = 150.0, top = 40.0, bottom = 56.0

    /// A fixed colour per policy, so every figure of a report agrees.
    static func color(_ policy: String) -> String {
        let name = policy.split(separator: " ").first.map(String.init) ?? policy
        return ["fullkv": "#222222", "streamingllm": "#8c564b", "h2o": "#2ca02c", "snapkv": "#1f77b4",
                "pyramidkv": "#d62728", "adakv": "#9467bd", "l2norm": "#ff7f0e"][name] ?? "#7f7f7f"
    }

    public static func render(_ curves: BudgetCurves, axis: Axis, subtitle: String = "") -> String {
        let budgeted = curves.curves.filter { !$0.keepsWholeCache }
        let reference = curves.curves.filter(\.keepsWholeCache)
        let xs: [Double] = switch axis {
        case .budget: curves.budgets.map(Double.init)
        case .kvBytes: curves.curves.flatMap { $0.points.map(\.meanKVBytes) }.filter { $0 > 0 }
        }
        guard let low = xs.min(), let high = xs.max(), low > 0 else { return empty(curves.title) }
        let lo = log2(low) - 0.3, hi = max(log2(high), log2(low) + 1) + 0.3
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let x = { (v: Double) in left + (log2(v) - lo) / (hi - lo) * plotWidth }
        let y = { (score: Double) in top + (1 - min(100, max(0, score)) / 100) * plotHeight }
        let xOf = { (p: BudgetCurves.Point) -> Double? in
            switch axis {
            case .budget: p.budget.map { x(Double($0)) }
            case .kvBytes: p.meanKVBytes > 0 ? x(p.meanKVBytes) : nil
            }
        }
        let heading = (axis == .budget ? "Score vs KV budget" : "Score vs KV cache bytes") + ": " + curves.title
        var s = ##"<svg xmlns="http://www.w3.org/2000/svg" class="budget-curves" width="\##(Int(width))" height="\##(Int(height))" font-family="sans-serif" font-size="11">"## + "\n"
        s += ##"<text x="\##(left + plotWidth / 2)" y="18" text-anchor="middle" font-size="14">\##(escape(heading))</text>"## + "\n"
        if !subtitle.isEmpty {
            s += ##"<text x="\##(left + plotWidth / 2)" y="33" text-anchor="middle" fill="#555">\##(escape(subtitle))</text>"## + "\n"
        }
        // Grid and axes.
        for score in stride(from: 0.0, through: 100, by: 20) {
            s += ##"<line x1="\##(left)" x2="\##(left + plotWidth)" y1="\##(y(score))" y2="\##(y(score))" stroke="#e4e4e4"/>"##
            s += ##"<text x="\##(left - 6)" y="\##(y(score) + 4)" text-anchor="end">\##(Int(score))</text>"## + "\n"
        }
        for tick in ticks(axis: axis, low: low, high: high) {
            s += ##"<line x1="\##(x(tick.value))" x2="\##(x(tick.value))" y1="\##(top)" y2="\##(top + plotHeight)" stroke="#f0f0f0"/>"##
            s += ##"<text x="\##(x(tick.value))" y="\##(top + plotHeight + 16)" text-anchor="middle">\##(tick.label)</text>"## + "\n"
        }
        s += ##"<rect x="\##(left)" y="\##(top)" width="\##(plotWidth)" height="\##(plotHeight)" fill="none" stroke="#888"/>"## + "\n"
        let xLabel = axis == .budget ? "KV budget (tokens per layer, log scale)" : "mean KV cache after prefill (log scale)"
        s += ##"<text x="\##(left + plotWidth / 2)" y="\##(height - 14)" text-anchor="middle" font-size="12">\##(xLabel)</text>"## + "\n"
        s += ##"<text x="16" y="\##(top + plotHeight / 2)" text-anchor="middle" font-size="12" transform="rotate(-90 16 \##(top + plotHeight / 2))">score (95 % CI band)</text>"## + "\n"
        // Whole-cache references: a dashed line with its band (budget axis), a point (bytes axis).
        for curve in reference {
            guard let point = curve.points.first else { continue }
            let color = color(curve.policy)
            if axis == .budget {
                s += ##"<rect class="band" x="\##(left)" y="\##(y(point.score.ciHigh))" width="\##(plotWidth)" height="\##(max(0.5, y(point.score.ciLow) - y(point.score.ciHigh)))" fill="\##(color)" fill-opacity="0.08"/>"##
                s += ##"<line class="reference" data-policy="\##(escape(curve.policy))" x1="\##(left)" x2="\##(left + plotWidth)" y1="\##(y(point.score.score))" y2="\##(y(point.score.score))" stroke="\##(color)" stroke-dasharray="6 4"><title>\##(escape(tooltip(curve.policy, point)))</title></line>"## + "\n"
            } else if let px = xOf(point) {
                s += errorBar(px, point, y: y, color: color)
                s += ##"<circle class="point" data-policy="\##(escape(curve.policy))" cx="\##(px)" cy="\##(y(point.score.score))" r="4" fill="\##(color)"><title>\##(escape(tooltip(curve.policy, point)))</title></circle>"## + "\n"
            }
        }
        for curve in budgeted {
            let color = color(curve.policy)
            let placed = curve.points.compactMap { p in xOf(p).map { (x: $0, p: p) } }
            guard !placed.isEmpty else { continue }
            let upper = placed.map { "\(fmt($0.x)),\(fmt(y($0.p.score.ciHigh)))" }
            let lower = placed.reversed().map { "\(fmt($0.x)),\(fmt(y($0.p.score.ciLow)))" }
            s += ##"<polygon class="band" points="\##((upper + lower).joined(separator: " "))" fill="\##(color)" fill-opacity="0.13" stroke="none"/>"## + "\n"
            s += ##"<polyline class="curve" data-policy="\##(escape(curve.policy))" points="\##(placed.map { "\(fmt($0.x)),\(fmt(y($0.p.score.score)))" }.joined(separator: " "))" fill="none" stroke="\##(color)" stroke-width="2"/>"## + "\n"
            for (px, p) in placed {
                s += ##"<circle class="point" data-policy="\##(escape(curve.policy))" data-budget="\##(p.budget ?? 0)" data-score="\##(p.score.score)" cx="\##(fmt(px))" cy="\##(fmt(y(p.score.score)))" r="3" fill="\##(color)"><title>\##(escape(tooltip(curve.policy, p)))</title></circle>"## + "\n"
            }
        }
        // Legend.
        for (index, curve) in (reference + budgeted).enumerated() {
            let ly = top + 8 + Double(index) * 18, lx = left + plotWidth + 14
            let dash = curve.keepsWholeCache ? ##" stroke-dasharray="6 4""## : ""
            s += ##"<line x1="\##(lx)" x2="\##(lx + 22)" y1="\##(ly)" y2="\##(ly)" stroke="\##(color(curve.policy))" stroke-width="2"\##(dash)/>"##
            s += ##"<text x="\##(lx + 28)" y="\##(ly + 4)">\##(escape(curve.policy))</text>"## + "\n"
        }
        return s + "</svg>\n"
    }

    static func errorBar(_ px: Double, _ p: BudgetCurves.Point, y: (Double) -> Double, color: String) -> String {
        ##"<line x1="\##(fmt(px))" x2="\##(fmt(px))" y1="\##(fmt(y(p.score.ciLow)))" y2="\##(fmt(y(p.score.ciHigh)))" stroke="\##(color)"/>"##
    }

    static func tooltip(_ policy: String, _ p: BudgetCurves.Point) -> String {
        let budget = p.budget.map { " @ \($0)" } ?? ""
        return "\(policy)\(budget): \(String(format: "%.2f [%.2f, %.2f]", p.score.score, p.score.ciLow, p.score.ciHigh)), "
            + "n \(p.score.n), KV \(bytes(p.meanKVBytes))"
    }

    struct Tick { let value: Double; let label: String }

    /// Budgets at their own values; bytes at powers of two between the extremes.
    static func ticks(axis: Axis, low: Double, high: Double) -> [Tick] {
        switch axis {
        case .budget:
            var value = pow(2, floor(log2(low)))
            var ticks: [Tick] = []
            while value <= high * 1.01 {
                if value >= low * 0.99 { ticks.append(Tick(value: value, label: String(Int(value)))) }
                value *= 2
            }
            return ticks
        case .kvBytes:
            var ticks: [Tick] = []
            var value = pow(2, ceil(log2(low)))
            let step = max(1.0, floor((log2(high) - log2(low)) / 6))
            while value <= high {
                ticks.append(Tick(value: value, label: bytes(value)))
                value *= pow(2, step)
            }
            return ticks
        }
    }

    static func bytes(_ value: Double) -> String {
        if value >= 1_073_741_824 { return String(format: "%.3g GiB", value / 1_073_741_824) }
        if value >= 1_048_576 { return String(format: "%.3g MiB", value / 1_048_576) }
        return String(format: "%.3g KiB", value / 1024)
    }

    static func empty(_ title: String) -> String {
        ##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60" font-family="sans-serif"><text x="10" y="30">\##(escape(title)): nothing scored yet</text></svg>"## + "\n"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
