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
        chatTemplate ? tokenizer.encodePlain(tokenizer.chat(user: record.context) + record.input)
                     : tokenizer.encodeWithSpecial(record.context + record.input)
    }
}
