/// How a needle cell's haystack is turned into a prompt. Recorded with every result (job key,
/// table and heatmap titles).
/// - `kvcacheFactory`: KVCache-Factory's run_needle_in_haystack.py completion prompt, no chat
///   template (the reference for large base-style models; a 135M chat model rarely completes it).
/// - `chat`: the haystack with the needle as the user message's context, the question after it,
///   inside the model's chat template with the generation prompt — as the gkamradt driver,
///   kvpress and LongBench put a question to a chat model.
public enum NeedleProtocol: String, Sendable, Codable, CaseIterable {
    case kvcacheFactory = "kvcache-factory"
    case chat

    /// The wrapper around the haystack; `{context}` and `{question}` are replaced.
    public var defaultTemplate: String {
        switch self {
        case .kvcacheFactory:
            "<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:"
        case .chat:
            "{context}\n{question}"
        }
    }

    /// The question each protocol asks by default: a completion stem, or a chat question.
    public var defaultQuestion: String {
        switch self {
        case .kvcacheFactory: NeedleTexts.retrievalQuestion
        case .chat: NeedleTexts.chatQuestion
        }
    }

    /// Whether the model's chat template wraps the filled template.
    public var usesChatTemplate: Bool { self == .chat }
}
