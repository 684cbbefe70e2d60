/// The needle, question, prompt and scoring words of KVCache-Factory's run_needle_in_haystack.py
/// (HEAD c97f9d7) and scripts/scripts_needle/visualize.py.
public enum NeedleTexts {
    public static let needle = "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n"
    /// Completion-style question (trailing space included).
    public static let retrievalQuestion = "The best thing to do in San Francisco is: "
    /// The question of the `chat` protocol (gkamradt's question, asked for one sentence, as in
    /// ../shared/reference/vectors/niah_fullkv.json where FullKV answers it).
    public static let chatQuestion = "What is the best thing to do in San Francisco? Answer in one sentence."
    /// The needle's answer part: the words a response must contain (visualize.py's text).
    public static let answer = "eat a sandwich and sit in Dolores Park on a sunny day."
    public static let promptPrefix = "<|im_start|> This is a very long story book: <book> "

    /// `generate_prompt`: no chat template.
    public static func prompt(context: String, question: String = retrievalQuestion) -> String {
        promptPrefix + context + promptSuffix(question: question)
    }

    public static func promptSuffix(question: String = retrievalQuestion) -> String {
        " </book>.\n Based on the content of the book, Question: \(question)\nAnswer:"
    }

    /// `final_context_length_buffer`.
    public static let buffer = 200
    public static let maxNewTokens = 30

    /// visualize.py's expected words: the 11 lower-cased whitespace tokens (note "day." keeps
    /// its period).
    public static let expectedWords: Set<PyStr> = words(of: answer)

    /// Cell score: |set(response.lower().split()) ∩ E| / |E|. The driver `.strip()`s the
    /// response first, which does not change the word set.
    public static func score(response: String) -> Double {
        score(response: response, expected: expectedWords)
    }

    /// The same recall against the words of another answer text (a custom needle's).
    public static func score(response: String, answer: String) -> Double {
        score(response: response, expected: words(of: answer))
    }

    static func score(response: String, expected: Set<PyStr>) -> Double {
        guard !expected.isEmpty else { return 0 }
        return Double(words(of: response).intersection(expected).count) / Double(expected.count)
    }

    /// `set(text.lower().split())`.
    static func words(of text: String) -> Set<PyStr> {
        Set(PyText.splitWhitespace(PyText.lower(PyText.str(text))))
    }
}
