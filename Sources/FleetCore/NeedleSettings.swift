/// The needle-in-a-haystack texts and generation settings (design §3, anchors §1.7).
/// Every field changes outputs, so all of them go into the job key.
public struct NeedleSettings: Codable, Sendable, Hashable {
    public var needle: String
    public var question: String
    public var promptTemplate: String
    public var bufferTokens: Int
    public var maxNewTokens: Int
    public var stop: [String]
    /// sha256 of the haystack text blob (Paul Graham essays, sorted by file name), if uploaded;
    /// nil means the worker uses the haystack bundled with its KVEval.
    public var haystackSha256: String?

    public static let defaultNeedle =
        "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n"
    public static let defaultQuestion = "The best thing to do in San Francisco is: "
    public static let defaultPromptTemplate =
        "<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:"

    public init(needle: String = NeedleSettings.defaultNeedle,
                question: String = NeedleSettings.defaultQuestion,
                promptTemplate: String = NeedleSettings.defaultPromptTemplate,
                bufferTokens: Int = 200, maxNewTokens: Int = 30, stop: [String] = ["\n"],
                haystackSha256: String? = nil) {
        self.needle = needle
        self.question = question
        self.promptTemplate = promptTemplate
        self.bufferTokens = bufferTokens
        self.maxNewTokens = maxNewTokens
        self.stop = stop
        self.haystackSha256 = haystackSha256
    }

    private enum CodingKeys: String, CodingKey {
        case needle, question, promptTemplate = "prompt_template", bufferTokens = "buffer_tokens",
            maxNewTokens = "max_new_tokens", stop, haystackSha256 = "haystack_sha256"
    }
}

/// The needle grid of one experiment: context lengths × depth percents.
public struct NeedleSweep: Codable, Sendable, Hashable {
    public var lengths: [Int]
    public var depths: [Int]
    public var settings: NeedleSettings

    public init(lengths: [Int], depths: [Int], settings: NeedleSettings = NeedleSettings()) {
        self.lengths = lengths
        self.depths = depths
        self.settings = settings
    }
}
