/// Errors from running the engine (as opposed to reading a model file).
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case emptyPrompt
    case tokenOutOfRange(id: Int32, vocabSize: Int)
    case promptTooLong(tokens: Int, contextLength: Int)
    case invalidArgument(name: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .emptyPrompt: return "the prompt has no tokens"
        case let .tokenOutOfRange(id, v): return "token id \(id) is outside the vocabulary (0..<\(v))"
        case let .promptTooLong(n, ctx): return "prompt of \(n) tokens exceeds the model's context length \(ctx)"
        case let .invalidArgument(name, value, reason): return "\(name) = \(value): \(reason)"
        }
    }
}
