/// Errors from running the engine (as opposed to reading a model file).
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case emptyPrompt
    case tokenOutOfRange(id: Int32, vocabSize: Int)
    /// Prompt + new tokens beyond the engine's limit: 4 × the trained context (RoPE positions past
    /// the trained context are extrapolated; beyond 4× results mean nothing).
    case promptTooLong(tokens: Int, limit: Int, contextLength: Int)
    case invalidArgument(name: String, value: String, reason: String)
    /// A kernel variant was asked for that this CPU cannot run.
    case kernelUnsupported(variant: String, supported: [String])
    case kernelUnknown(variable: String, value: String, known: [String])
    case activationsUnknown(variable: String, value: String, known: [String])

    public var description: String {
        switch self {
        case .emptyPrompt: return "the prompt has no tokens"
        case let .tokenOutOfRange(id, v): return "token id \(id) is outside the vocabulary (0..<\(v))"
        case let .promptTooLong(n, limit, ctx):
            return "prompt + max_new_tokens = \(n) tokens exceeds the engine's limit of \(limit) (4 × the model's trained context length \(ctx))"
        case let .invalidArgument(name, value, reason): return "\(name) = \(value): \(reason)"
        case let .kernelUnsupported(v, supported):
            return "kernel variant '\(v)' is not supported by this CPU; supported: \(supported.joined(separator: ", "))"
        case let .kernelUnknown(variable, value, known):
            return "\(variable)=\(value): unknown kernel variant; known: \(known.joined(separator: ", "))"
        case let .activationsUnknown(variable, value, known):
            return "\(variable)=\(value): unknown activation precision; known: \(known.joined(separator: ", "))"
        }
    }
}
