/// RULER's common words extraction generator (scripts/data/synthetic/common_words_extraction.py):
/// words = sorted(set(nouns + adjectives + verbs)) shuffled by `random.Random(seed)`; each example
/// samples from them with the global `random` and shuffles its repeated list with a fresh
/// `random.Random(seed)`. One few-shot example precedes the question; below max_seq_length 4096
/// RULER uses smaller repeat counts (3/1 for the example, 6/1 for the question) instead of
/// freq_cw/freq_ucw. When an example needs more words than wonderwords has, RULER samples
/// json/english_words.json instead; that branch is not ported (it throws).
struct RULERCommonWords {
    let task: String
    let seed: Int
    let maxSeqLength: Int
    let freqCW: Int, freqUCW: Int, numCW: Int
    let numFewshot = 1
    let words: [String]
    let counter: RULERTokenCounter
    var rng: PythonRandom

    init(task: String, seed: Int, maxSeqLength: Int, freqCW: Int, freqUCW: Int, numCW: Int,
         wordLists: RULERWordLists, counter: RULERTokenCounter) {
        self.task = task; self.seed = seed; self.maxSeqLength = maxSeqLength
        self.freqCW = freqCW; self.freqUCW = freqUCW; self.numCW = numCW; self.counter = counter
        rng = PythonRandom(seed: seed)
        var w = wordLists.commonWordsSorted
        var shuffler = PythonRandom(seed: seed)
        shuffler.shuffle(&w)
        words = w
    }

    /// `get_example(num_words, common_repeats, uncommon_repeats, common_nums)`.
    mutating func example(_ numWords: Int, _ commonRepeats: Int, _ uncommonRepeats: Int, _ commonNums: Int) throws(RULERError) -> (String, [String]) {
        guard numWords <= words.count else {
            throw .needsEnglishWords(task: task, numWords: numWords, available: words.count)
        }
        let full = rng.sample(words, k: numWords)
        let common = Array(full.prefix(commonNums)), uncommon = Array(full.dropFirst(commonNums))
        var list: [String] = []
        for _ in 0..<commonRepeats { list += common }
        for _ in 0..<uncommonRepeats { list += uncommon }
        var fresh = PythonRandom(seed: seed)
        fresh.shuffle(&list)
        let context = list.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: " ")
        return (context, common)
    }

    /// `generate_input_output(num_words)`.
    mutating func generateInputOutput(_ numWords: Int) throws(RULERError) -> (String, [String]) {
        var shots: [(String, [String])] = []
        let context: String, answer: [String]
        if maxSeqLength < 4096 {
            for _ in 0..<numFewshot { shots.append(try example(20, 3, 1, numCW)) }
            (context, answer) = try example(numWords, 6, 1, numCW)
        } else {
            for _ in 0..<numFewshot { shots.append(try example(40, 10, 3, numCW)) }
            (context, answer) = try example(numWords, freqCW, freqUCW, numCW)
        }
        let template = RULERTemplates.commonWords.prompt
        let fewShots = shots.map { shot in
            RULERText.format(template, ["num_cw": String(numCW), "context": shot.0, "query": ""]) + " "
                + shot.1.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: " ")
        }.joined(separator: "\n")
        let input = RULERText.format(template, ["num_cw": String(numCW), "context": context, "query": ""])
        return (fewShots + "\n" + input, answer)
    }

    /// `sys_word_pair_random`.
    mutating func generateSamples(numSamples: Int) throws(RULERError) -> [RULERSample] {
        let tokensToGenerate = RULERTemplates.commonWords.tokensToGenerate
        let incremental = 10
        let (sampleText, _) = try generateInputOutput(4096)
        let tokensPerWord = Double(counter.count(sampleText)) / 4096
        let estimated = Int(pyFloorDiv(Double(maxSeqLength), tokensPerWord)) * 2
        let numWords = try RULERSizing.largestFitting(incremental: incremental, upper: max(estimated, incremental * 2),
                                                     maxSeqLength: maxSeqLength) { mid throws(RULERError) in
            try counter.count(generateInputOutput(mid).0) + tokensToGenerate
        }

        var out: [RULERSample] = []
        for _ in 0..<numSamples {
            let (text, answer, length) = try RULERSizing.fittingSample(
                task: task, start: numWords, incremental: incremental, maxSeqLength: maxSeqLength) { used throws(RULERError) in
                do throws(RULERError) {
                    let (text, answer) = try generateInputOutput(used)
                    return (text, answer, counter.count(text) + tokensToGenerate)
                } catch {
                    if case .needsEnglishWords = error { throw error }
                    return nil
                }
            }
            let (input, prefix) = RULERText.splitAtLast(text, RULERTemplates.commonWords.answerPrefixMarker)
            out.append(RULERSample(input: input, answerPrefix: prefix, outputs: answer, length: length))
        }
        return out
    }
}
