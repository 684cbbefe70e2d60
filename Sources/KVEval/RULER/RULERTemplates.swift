/// RULER's task templates and answer prefixes (`long_context_eval/data/synthetic/constants.py` of
/// `nvidia-long-context-eval==26.3`, byte for byte, its "assgined" included), and the prompt its
/// prepare.py passes to each generator with the `base` model template:
/// `"{task_template}".format(task_template=template) + answer_prefix`.
enum RULERTemplates {
    struct Task: Sendable {
        let tokensToGenerate: Int
        let template: String
        let answerPrefix: String
        /// prepare.py's `--template` for model template `base`.
        var prompt: String { template + answerPrefix }
        /// Where a prompt's answer prefix starts: the last `answer_prefix[:10]` (as the later
        /// NVIDIA/RULER generators split their records; the wheel's keep it inside `input`).
        var answerPrefixMarker: String { String(answerPrefix.unicodeScalars.prefix(10).map(Character.init)) }
        /// Where the question starts: the template's literal text after `{context}` up to its next
        /// placeholder ("\nWhat are all the special magic ", "\nQuestion: …"); every task has one.
        var questionMarker: String {
            guard let start = template.range(of: "{context}")?.upperBound else { return "" }
            let rest = template[start...]
            return String(rest[..<(rest.firstIndex(of: "{") ?? rest.endIndex)])
        }
        /// The marker as prompts can hold it: niah's one-needle-one-query samples reword the
        /// template in the singular (`RULERNiah.singular`), the others keep it.
        var questionMarkers: [String] {
            guard template == RULERTemplates.niah.template else { return [questionMarker] }
            return [questionMarker, RULERNiah.singular(questionMarker)]
        }
    }

    static let niah = Task(
        tokensToGenerate: 128,
        template: "Some special magic {type_needle_v} are hidden within the following text. Make sure to memorize it. I will quiz you about the {type_needle_v} afterwards.\n{context}\nWhat are all the special magic {type_needle_v} for {query} mentioned in the provided text?",
        answerPrefix: " The special magic {type_needle_v} for {query} mentioned in the provided text are")

    static let variableTracking = Task(
        tokensToGenerate: 30,
        template: "Memorize and track the chain(s) of variable assignment hidden in the following text.\n\n{context}\nQuestion: Find all variables that are assigned the value {query} in the text above.",
        answerPrefix: " Answer: According to the chain(s) of variable assignment in the text above, {num_v} variables are assgined the value {query}, they are: ")

    static let commonWords = Task(
        tokensToGenerate: 120,
        template: "Below is a numbered list of words. In these words, some appear more often than others. Memorize the ones that appear most often.\n{context}\nQuestion: What are the 10 most common words in the above list?",
        answerPrefix: " Answer: The top 10 words that appear most often in the list are:")

    static let freqWords = Task(
        tokensToGenerate: 50,
        template: "Read the following coded text and track the frequency of each coded word. Find the three most frequently appeared coded words. {context}\nQuestion: Do not provide any explanation. Please ignore the dots '....'. What are the three most frequently appeared words in the above coded text?",
        answerPrefix: " Answer: According to the coded text above, the three most frequently appeared words are:")

    static let qa = Task(
        tokensToGenerate: 32,
        template: "Answer the question based on the given documents. Only give me the answer and do not output any other words.\n\nThe following are given documents.\n\n{context}\n\nAnswer the question based on the given documents. Only give me the answer and do not output any other words.\n\nQuestion: {query}",
        answerPrefix: " Answer:")

    /// The template of a task family (RULER's `TASKS` key).
    static func task(family: String) -> Task? {
        switch family {
        case "niah": niah
        case "variable_tracking": variableTracking
        case "common_words_extraction": commonWords
        case "freq_words_extraction": freqWords
        case "qa": qa
        default: nil
        }
    }

    /// niah's `repeat` haystack sentence.
    static let noise = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."
    /// Variable tracking's noise: the same sentence with a newline.
    static let variableTrackingNoise = noise + "\n"
    /// niah's needle (and, for the `needle` haystack, every distractor).
    static let needle = "One of the special magic {type_needle_v} for {key} is: {value}."
    /// qa.py's `DOCUMENT_PROMPT`.
    static let document = "Document {i}:\n{document}"
}
