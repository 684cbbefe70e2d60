/// A problem in a LongBench data or prediction file, located to the line and field.
public struct LongBenchDataError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Reason: Equatable, Sendable {
        case unreadable(String)
        case notUTF8
        case invalidJSON(String)
        case notAnObject
        case missingField
        case wrongType(expected: String, got: String)
        case metric(MetricError)
        case emptyFile
        /// A well-typed value that breaks the field's rule (the rule is the text).
        case invalid(String)
    }

    public var file: String
    /// 1-based line number; 0 when the problem concerns the whole file.
    public var line: Int
    /// The field at fault, nil when the whole line (or file) is.
    public var field: String?
    /// A short excerpt of the offending value, when there is one.
    public var value: String?
    public var reason: Reason

    public init(file: String, line: Int, field: String? = nil, value: String? = nil, reason: Reason) {
        self.file = file; self.line = line; self.field = field; self.value = value; self.reason = reason
    }

    public var description: String {
        var where_ = file
        if line > 0 { where_ += ":\(line)" }
        if let field { where_ += " field \"\(field)\"" }
        let what: String
        switch reason {
        case .unreadable(let why): what = "cannot read file (\(why))"
        case .notUTF8: what = "line is not valid UTF-8"
        case .invalidJSON(let why): what = "invalid JSON (\(why))"
        case .notAnObject: what = "line is not a JSON object"
        case .missingField: what = "required field is missing"
        case let .wrongType(expected, got): what = "expected \(expected), got \(got)"
        case .metric(let e): what = e.description
        case .emptyFile: what = "no records"
        case .invalid(let rule): what = rule
        }
        if let value { return "\(where_): \(what): \(value)" }
        return "\(where_): \(what)"
    }
}
