import TaskSpec
import Foundation

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
    /// The prompt protocol (`chat`); nil is `kvcache-factory`, the driver's completion prompt, so
    /// job keys made before protocols existed stay the same.
    public var protocolName: String?
    /// The words a response must contain (word recall); nil: the default needle's answer
    /// ("eat a sandwich and sit in Dolores Park on a sunny day."), or a custom needle's own text.
    public var answer: String?

    public static let defaultNeedle =
        "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n"
    public static let defaultQuestion = "The best thing to do in San Francisco is: "
    public static let defaultPromptTemplate =
        "<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:"

    public init(needle: String = NeedleSettings.defaultNeedle,
                question: String = NeedleSettings.defaultQuestion,
                promptTemplate: String = NeedleSettings.defaultPromptTemplate,
                bufferTokens: Int = 200, maxNewTokens: Int = 30, stop: [String] = ["\n"],
                haystackSha256: String? = nil, protocolName: String? = nil, answer: String? = nil) {
        self.needle = needle
        self.question = question
        self.promptTemplate = promptTemplate
        self.bufferTokens = bufferTokens
        self.maxNewTokens = maxNewTokens
        self.stop = stop
        self.haystackSha256 = haystackSha256
        self.protocolName = protocolName
        self.answer = answer
    }

    /// The protocol's name as tables and titles show it.
    public var protocolLabel: String { protocolName ?? Self.defaultProtocolName }

    /// The text scored by word recall: `answer`, else the default answer for the default needle,
    /// else the needle itself (trimmed).
    public var answerText: String {
        if let answer { return answer }
        if needle == Self.defaultNeedle { return Self.defaultAnswer }
        return needle.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The prompt protocols workers know (TaskSpec's `NeedleProtocol`), the default first.
    public static let protocolNames = NeedleProtocol.allCases.map(\.rawValue)
    public static let defaultProtocolName = NeedleProtocol.default.rawValue

    public static let defaultAnswer = "eat a sandwich and sit in Dolores Park on a sunny day."

    /// The `chat` protocol's wrapper and question (KVEval's `NeedleProtocol.chat`; a test checks
    /// they agree): the haystack as the user's context, then a question a chat model answers.
    public static let chatPromptTemplate = "{context}\n{question}"
    public static let chatQuestion = "What is the best thing to do in San Francisco? Answer in one sentence."

    /// The default settings of a protocol: its template and question; 48 new tokens for a chat
    /// answer ("The best thing to do in San Francisco is to eat a sandwich and …" is ~25).
    public static func defaults(protocolName: String) -> NeedleSettings {
        guard protocolName == NeedleProtocol.chat.rawValue else { return NeedleSettings() }
        return NeedleSettings(question: chatQuestion, promptTemplate: chatPromptTemplate, maxNewTokens: 48,
                              protocolName: NeedleProtocol.chat.rawValue)
    }

    private enum CodingKeys: String, CodingKey {
        case needle, question, promptTemplate = "prompt_template", bufferTokens = "buffer_tokens",
            maxNewTokens = "max_new_tokens", stop, haystackSha256 = "haystack_sha256",
            protocolName = "protocol", answer
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
