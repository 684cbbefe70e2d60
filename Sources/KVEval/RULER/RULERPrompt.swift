import TaskSpec

/// How a RULER record becomes a model prompt. RULER's prepare.py puts the task prompt inside the
/// model's template and the answer prefix after it (the start of the model's answer); for a chat
/// model that is the user turn, the generation prompt, then the prefix. Without a chat template
/// the prompt is `context + input`, RULER's `base` template.
public enum RULERPrompt {
    public static let datasetPrefix = TaskFamily.rulerDatasetPrefix

    /// The RULER task of a LongBench-format dataset name ("ruler_vt" → "vt"), or nil.
    public static func task(ofDataset dataset: String) -> String? {
        guard let task = TaskFamily.rulerTask(ofDataset: dataset) else { return nil }
        return RULERTasks.names.contains(task) ? task : nil
    }

    /// RULER's `tokens_to_generate` of a task.
    public static func maxNewTokens(task: String) throws(RULERError) -> Int {
        guard let template = RULERTemplates.task(family: try RULERTasks.family(of: task)) else { throw .unknownTask(task) }
        return template.tokensToGenerate
    }

    /// The prompt's ids: the template carries its specials, so no BOS is added in chat mode.
    public static func ids(record: LongBenchRecord, tokenizer: some PromptTokenizer, chatTemplate: Bool) -> [Int32] {
        encode(text(record: record, tokenizer: tokenizer, chatTemplate: chatTemplate), tokenizer: tokenizer, chatTemplate: chatTemplate)
    }

    /// Where the question starts in `ids(record:…)` (for `question: after-compression`): the
    /// tokens before it are the task instruction and the haystack, the ones from it on the
    /// question, the end of the user turn and the answer prefix. The split is the last occurrence
    /// of the task template's text after `{context}` (the haystack precedes it), cut at the last
    /// token the context-only encoding shares with the whole prompt.
    public static func questionStart(record: LongBenchRecord, task: String, tokenizer: some PromptTokenizer,
                                     chatTemplate: Bool) throws(RULERError) -> Int {
        guard let template = RULERTemplates.task(family: try RULERTasks.family(of: task)) else { throw .unknownTask(task) }
        let markers = template.questionMarkers.filter { !$0.isEmpty }
        let whole = text(record: record, tokenizer: tokenizer, chatTemplate: chatTemplate)
        let found = markers.compactMap { record.context.range(of: $0, options: .backwards) }.max { $0.lowerBound < $1.lowerBound }
        guard let contextStart = whole.range(of: record.context)?.lowerBound, let question = found else {
            throw .noQuestion(task: task, marker: template.questionMarker)
        }
        let offset = record.context.utf8.distance(from: record.context.startIndex, to: question.lowerBound)
        let split = whole.utf8.index(contextStart, offsetBy: offset)
        return TokenPrefix.sharedLength(encode(whole, tokenizer: tokenizer, chatTemplate: chatTemplate),
                                        encode(String(whole[..<split]), tokenizer: tokenizer, chatTemplate: chatTemplate))
    }

    static func text(record: LongBenchRecord, tokenizer: some PromptTokenizer, chatTemplate: Bool) -> String {
        chatTemplate ? tokenizer.chat(user: record.context) + record.input : record.context + record.input
    }

    static func encode(_ text: String, tokenizer: some PromptTokenizer, chatTemplate: Bool) -> [Int32] {
        chatTemplate ? tokenizer.encodePlain(text) : tokenizer.encodeWithSpecial(text)
    }
}
