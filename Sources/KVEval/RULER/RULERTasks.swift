/// RULER's synthetic tasks (NVIDIA/RULER scripts/synthetic.yaml) generated as RULER generates
/// them with `prepare.py --model_template_type base` (the prompt is the task template followed by
/// its answer prefix), as LongBench-format records: `context` = RULER's `input` (the prompt up
/// to the answer prefix), `input` = its `answer_prefix`, `answers` = its `outputs`, `length` = its
/// `length` (prompt tokens + tokens_to_generate), dataset "ruler_<task>", `_id` "<task>-<i>".
/// A model prompt is `context + input`; score with `RULERMetric`.
public enum RULERTasks {
    /// The ported configurations: the niah ones whose haystack is `noise` or `needle`, vt and cwe
    /// (exact), and the essay-haystack niah ones (`essayNames`: RULER's procedure on the project's
    /// essays with a simple sentence splitter, see `RULEREssayHaystack`). fwe and qa are not ported.
    public static let names = ["niah_single_1", "niah_single_2", "niah_single_3", "niah_multikey_1", "niah_multikey_2",
                               "niah_multikey_3", "niah_multivalue", "niah_multiquery", "vt", "cwe"]
    /// The tasks that need an essay haystack.
    public static let essayNames: Set<String> = ["niah_single_2", "niah_single_3", "niah_multikey_1", "niah_multivalue", "niah_multiquery"]

    /// RULER's task family of a configuration (the key of its metric).
    public static func family(of task: String) throws(RULERError) -> String {
        switch task {
        case _ where task.hasPrefix("niah_") && names.contains(task): return "niah"
        case "vt": return "variable_tracking"
        case "cwe": return "common_words_extraction"
        default: throw .unknownTask(task)
        }
    }

    /// RULER's samples for `task` (`--max_seq_length`, `--num_samples`, `--random_seed`).
    /// `essays` is needed by the essay-haystack tasks only.
    public static func samples(task: String, maxSeqLength: Int, numSamples: Int, seed: Int = 42,
                               tokenizer: any PromptTokenizer, wordLists: RULERWordLists,
                               essays: RULEREssayHaystack? = nil) throws(RULERError) -> [RULERSample] {
        guard maxSeqLength > 0, numSamples >= 0 else {
            throw .invalidArgument(task: task, reason: "max_seq_length must be positive and num_samples non-negative")
        }
        let counter = RULERTokenCounter(tokenizer: tokenizer)
        switch task {
        case _ where task.hasPrefix("niah_") && names.contains(task):
            func essay() throws(RULERError) -> RULERNiah.Haystack {
                guard let essays else { throw .invalidArgument(task: task, reason: "needs the essay haystack (essays:)") }
                return .essay(essays)
            }
            let config: RULERNiah.Config
            switch task {
            case "niah_single_1": config = .init(haystack: .noise, typeK: .words, typeV: .numbers)
            case "niah_single_2": config = .init(haystack: try essay(), typeK: .words, typeV: .numbers)
            case "niah_single_3": config = .init(haystack: try essay(), typeK: .words, typeV: .uuids)
            case "niah_multikey_1": config = .init(haystack: try essay(), typeK: .words, typeV: .numbers, numK: 4)
            case "niah_multikey_2": config = .init(haystack: .needle, typeK: .words, typeV: .numbers)
            case "niah_multikey_3": config = .init(haystack: .needle, typeK: .uuids, typeV: .uuids)
            case "niah_multivalue": config = .init(haystack: try essay(), typeK: .words, typeV: .numbers, numV: 4)
            default: config = .init(haystack: try essay(), typeK: .words, typeV: .numbers, numQ: 4)  // niah_multiquery
            }
            var g = RULERNiah(task: task, config: config, seed: seed, maxSeqLength: maxSeqLength,
                              words: wordLists.niahKeyWords, counter: counter)
            return try g.generateSamples(numSamples: numSamples)
        case "vt":
            var g = try RULERVariableTracking(task: task, seed: seed, maxSeqLength: maxSeqLength,
                                              numChains: 1, numHops: 4, counter: counter)
            return try g.generateSamples(numSamples: numSamples)
        case "cwe":
            var g = RULERCommonWords(task: task, seed: seed, maxSeqLength: maxSeqLength, freqCW: 30, freqUCW: 3,
                                     numCW: 10, wordLists: wordLists, counter: counter)
            return try g.generateSamples(numSamples: numSamples)
        default:
            throw .unknownTask(task)
        }
    }

    /// The samples as LongBench-format records.
    public static func generate(task: String, maxSeqLength: Int, numSamples: Int, seed: Int = 42,
                                tokenizer: any PromptTokenizer, wordLists: RULERWordLists,
                                essays: RULEREssayHaystack? = nil) throws(RULERError) -> [LongBenchRecord] {
        try samples(task: task, maxSeqLength: maxSeqLength, numSamples: numSamples, seed: seed,
                    tokenizer: tokenizer, wordLists: wordLists, essays: essays)
            .enumerated().map { record(task: task, index: $0.offset, sample: $0.element) }
    }

    public static func record(task: String, index: Int, sample: RULERSample) -> LongBenchRecord {
        LongBenchRecord(input: sample.answerPrefix, context: sample.input, answers: sample.outputs, length: sample.length,
                        dataset: "ruler_" + task, language: "en", allClasses: nil, id: "\(task)-\(index)")
    }
}
