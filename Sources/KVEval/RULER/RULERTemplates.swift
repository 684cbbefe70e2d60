/// RULER's task templates and answer prefixes (scripts/data/synthetic/constants.py), and the
/// prompt its prepare.py passes to each generator with the `base` model template:
/// `"{task_template}".format(task_template=template) + answer_prefix`.
enum RULERTemplates {
    struct Task: Sendable {
        let tokensToGenerate: Int
        let template: String
        let answerPrefix: String
        /// prepare.py's `--template` for model template `base`.
        var prompt: String { template + answerPrefix }
        /// The generators find the answer prefix by `rfind(answer_prefix[:10])`.
        var answerPrefixMarker: String { String(answerPrefix.unicodeScalars.prefix(10).map(Character.init)) }
    }

    static let niah = Task(
        tokensToGenerate: 128,
        template: "Some special magic {type_needle_v} are hidden within the following text. Make sure to memorize it. I will quiz you about the {type_needle_v} afterwards.\n{context}\nWhat are all the special magic {type_needle_v} for {query} mentioned in the provided text?",
        answerPrefix: " The special magic {type_needle_v} for {query} mentioned in the provided text are")

    static let variableTracking = Task(
        tokensToGenerate: 30,
        template: "Memorize and track the chain(s) of variable assignment hidden in the following text.\n\n{context}\nQuestion: Find all variables that are assigned the value {query} in the text above.",
        answerPrefix: " Answer: According to the chain(s) of variable assignment in the text above, {num_v} variables are assigned the value {query}, they are: ")

    static let commonWords = Task(
        tokensToGenerate: 120,
        template: "Below is a numbered list of words. In these words, some appear more often than others. Memorize the ones that appear most often.\n{context}\nQuestion: What are the 10 most common words in the above list?",
        answerPrefix: " Answer: The top 10 words that appear most often in the list are:")

    /// The noise haystack sentence of niah and variable tracking.
    static let noise = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."
    /// niah's needle (and, for the `needle` haystack, every distractor).
    static let needle = "One of the special magic {type_needle_v} for {key} is: {value}."
}
