/// The needle, question, prompt and scoring words of KVCache-Factory's run_needle_in_haystack.py
/// (HEAD c97f9d7) and scripts/scripts_needle/visualize.py.
public enum NeedleTexts {
    public static let needle = "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n"
    /// Completion-style question (trailing space included).
    public static let retrievalQuestion = "The best thing to do in San Francisco is: "
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
    public static let expectedWords: Set<PyStr> = Set(PyText.splitWhitespace(PyText.lower(PyText.str(
        "eat a sandwich and sit in Dolores Park on a sunny day."))))

    /// Cell score: |set(response.lower().split()) ∩ E| / |E|. The driver `.strip()`s the
    /// response first, which does not change the word set.
    public static func score(response: String) -> Double {
        let words = Set(PyText.splitWhitespace(PyText.lower(PyText.str(response))))
        return Double(words.intersection(expectedWords).count) / Double(expectedWords.count)
    }
}
