/// When the question reaches the KV cache relative to its compression: part of a job's key and
/// of every title, because query-aware policies (SnapKV, PyramidKV, …) score tokens by the
/// attention of the prompt's last rows.
/// - `aware` (the reference drivers' protocol, spelled as no field): the whole prompt, question
///   included, is prefilled, then compressed; the observation window holds the question.
/// - `afterCompression` (query-agnostic, as a served context compressed once and asked later):
///   the context is prefilled and compressed first, its own tail as the window; the question's
///   tokens are then prefilled into the compressed cache and decoding starts. The token ids are
///   the same as under `aware`; only the moment of compression moves.
public enum QuestionTiming: String, Codable, Sendable, CaseIterable {
    case aware
    case afterCompression = "after-compression"

    /// "unknown question timing 'x'; known: aware, after-compression".
    public static func parse(_ raw: String) throws(TaskSpecError) -> QuestionTiming {
        guard let value = QuestionTiming(rawValue: raw) else {
            throw TaskSpecError(field: "question", value: raw,
                                reason: "unknown question timing; known: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            self = try Self.parse(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// The words a table title adds ("" for the default).
    public var titleSuffix: String { self == .aware ? "" : ", question after compression" }
}

/// A task setting that cannot be used: the field, the value and why.
public struct TaskSpecError: Error, CustomStringConvertible, Sendable, Equatable {
    public let field: String
    public let value: String
    public let reason: String

    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(field) '\(value)': \(reason)" }
}
