/// How a needle cell's haystack is turned into a prompt: one spelling of each protocol for the
/// wire, the CLI, the worker and the titles (the recipes live in KVEval's `NeedlePromptBuilder`).
/// - `kvcacheFactory`: KVCache-Factory's run_needle_in_haystack.py completion prompt, no chat
///   template (the reference for large base-style models; a 135M chat model rarely completes it).
/// - `chat`: the haystack with the needle as the user message's context, the question after it,
///   inside the model's chat template with the generation prompt — as the gkamradt driver,
///   kvpress and LongBench put a question to a chat model.
public enum NeedleProtocol: String, Sendable, Codable, CaseIterable {
    case kvcacheFactory = "kvcache-factory"
    case chat

    /// The protocol a job without one runs (spelled as no protocol on the wire).
    public static let `default` = NeedleProtocol.kvcacheFactory

    /// "kvcache-factory, chat".
    public static var knownValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether the model's chat template wraps the filled template.
    public var usesChatTemplate: Bool { self == .chat }
}
