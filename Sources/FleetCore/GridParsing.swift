/// A grid argument that could not be read; names the option and the text.
public struct GridParseError: Error, Equatable, CustomStringConvertible, Sendable {
    public let field: String
    public let text: String
    public let reason: String

    public init(field: String, text: String, reason: String) {
        self.field = field
        self.text = text
        self.reason = reason
    }

    public var description: String { "\(field) '\(text)': \(reason)" }
}

/// Parses the sweep grid arguments of `pyramidkv submit` (`--lengths`, `--depths`):
/// `a:b:step` (inclusive of b, like the needle driver's `np.arange(a, b + 1, step)`),
/// a comma list, or, for depths only, a single count n meaning `round(linspace(0, 100, n))`.
public enum GridParsing {
    /// `a:b:step`, a comma list, or one integer.
    public static func integers(_ text: String, field: String) throws(GridParseError) -> [Int] {
        let trimmed = text.trimmingWhitespace()
        if trimmed.contains(":") {
            return try range(trimmed, field: field)
        }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        var values: [Int] = []
        for part in parts {
            let item = String(part).trimmingWhitespace()
            guard let value = Int(item) else {
                throw GridParseError(field: field, text: text, reason: "'\(item)' is not an integer")
            }
            values.append(value)
        }
        return values
    }

    /// Depth percents: a single integer is a count (`round(linspace(0, 100, n))`); otherwise as
    /// `integers`. Every depth must lie in 0...100.
    public static func depths(_ text: String, field: String = "depths") throws(GridParseError) -> [Int] {
        let trimmed = text.trimmingWhitespace()
        let values: [Int]
        if !trimmed.contains(":") && !trimmed.contains(","), let count = Int(trimmed) {
            guard count >= 1 else {
                throw GridParseError(field: field, text: text, reason: "a depth count must be at least 1")
            }
            values = linspacePercents(count: count)
        } else {
            values = try integers(trimmed, field: field)
        }
        if let bad = values.first(where: { !(0...100).contains($0) }) {
            throw GridParseError(field: field, text: text, reason: "depth \(bad) is outside 0...100")
        }
        return values
    }

    /// `[round(x) for x in numpy.linspace(0, 100, count)]` with Python's round-half-even.
    public static func linspacePercents(count: Int) -> [Int] {
        guard count > 1 else { return count == 1 ? [0] : [] }
        let step = 100.0 / Double(count - 1)
        return (0..<count).map { index in
            let value = index == count - 1 ? 100.0 : Double(index) * step
            return Int(value.rounded(.toNearestOrEven))
        }
    }

    private static func range(_ text: String, field: String) throws(GridParseError) -> [Int] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
            Int(String($0).trimmingWhitespace())
        }
        guard parts.count == 3, let start = parts[0], let end = parts[1], let step = parts[2] else {
            throw GridParseError(field: field, text: text, reason: "expected a:b:step with three integers")
        }
        guard step > 0 else {
            throw GridParseError(field: field, text: text, reason: "step must be positive")
        }
        guard start <= end else {
            throw GridParseError(field: field, text: text, reason: "start \(start) is after end \(end)")
        }
        return Array(stride(from: start, through: end, by: step))
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
