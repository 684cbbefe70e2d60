import TaskSpec

/// Each needle protocol's recipe defaults (the protocol names live in TaskSpec).
extension NeedleProtocol {
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
}
