import Foundation

/// The needle grid as KVCache-Factory's driver builds it: context lengths
/// `np.arange(min, max + 1, step)` and depths `np.round(np.linspace(0, 100, n)).astype(int)`,
/// or explicit lists.
public struct NeedleGrid: Sendable, Equatable, Codable {
    public var lengths: [Int]
    public var depths: [Int]

    public init(lengths: [Int], depths: [Int]) { self.lengths = lengths; self.depths = depths }

    /// KVCache-Factory's Llama-3 grid: 1000…8000 step 100 × 10 depths (71 × 10).
    public static let kvCacheFactoryLlama3 = NeedleGrid(lengths: arange(1000, 8000, step: 100), depths: linspaceDepths(10))

    public enum ParseError: Error, Equatable, CustomStringConvertible, Sendable {
        case invalid(option: String, value: String, expected: String)
        public var description: String {
            switch self {
            case let .invalid(option, value, expected): return "\(option) \(value.debugDescription): expected \(expected)"
            }
        }
    }

    /// `np.arange(a, b + 1, step)`.
    public static func arange(_ a: Int, _ b: Int, step: Int) -> [Int] {
        guard step > 0, a <= b else { return [] }
        return Array(stride(from: a, through: b, by: step))
    }

    /// `np.round(np.linspace(0, 100, n)).astype(int)` (numpy rounds half to even).
    public static func linspaceDepths(_ n: Int) -> [Int] {
        if n <= 0 { return [] }
        if n == 1 { return [0] }
        let step = 100.0 / Double(n - 1)
        return (0..<n).map { i in
            let y = i == n - 1 ? 100.0 : Double(i) * step
            return Int(y.rounded(.toNearestOrEven))
        }
    }

    /// `--lengths`: `a:b:step` (inclusive of b) or a comma list.
    public static func parseLengths(_ s: String) throws(ParseError) -> [Int] {
        let err = ParseError.invalid(option: "--lengths", value: s, expected: "MIN:MAX:STEP or a comma-separated list of positive integers")
        if s.contains(":") {
            let parts = s.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 3, let a = parts[0], let b = parts[1], let st = parts[2], a > 0, st > 0, a <= b else { throw err }
            return arange(a, b, step: st)
        }
        return try list(s, err, range: 1...Int.max)
    }

    /// `--depths`: a count n (→ round(linspace(0, 100, n))) or a comma list of percents 0…100.
    /// A single number is a count, as in the driver's `document_depth_percent_intervals`.
    public static func parseDepths(_ s: String) throws(ParseError) -> [Int] {
        let err = ParseError.invalid(option: "--depths", value: s, expected: "a count N or a comma-separated list of percents 0...100")
        if !s.contains(",") {
            guard let n = Int(s.trimmingCharacters(in: .whitespaces)), n > 0 else { throw err }
            return linspaceDepths(n)
        }
        return try list(s, err, range: 0...100)
    }

    static func list(_ s: String, _ err: ParseError, range: ClosedRange<Int>) throws(ParseError) -> [Int] {
        var out: [Int] = []
        for p in s.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = Int(p.trimmingCharacters(in: .whitespaces)), range.contains(v) else { throw err }
            out.append(v)
        }
        return out
    }
}
