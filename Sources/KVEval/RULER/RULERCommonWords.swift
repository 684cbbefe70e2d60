/// RULER's common words extraction generator (`long_context_eval/data/synthetic/
/// common_words_extraction.py` of `nvidia-long-context-eval==26.3`): words =
/// sorted(set(nouns + adjectives + verbs)) shuffled by `random.Random(seed)`; each example samples
/// from them with the global `random` and shuffles its repeated list with a fresh
/// `random.Random(seed)`. One worked example (its answer glued to the template's "are:") precedes
/// the question; below max_seq_length 4096 RULER uses smaller repeat counts (3/1 for the example,
/// 6/1 for the question) instead of freq_cw/freq_ucw.
struct RULERCommonWords {
    let task: String
    let seed: Int
    let maxSeqLength: Int
    let freqCW: Int, freqUCW: Int, numCW: Int
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

    /// `"1. w1 2. w2 ..."`.
    static func numbered(_ words: [String]) -> String {
        words.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: " ")
    }

    /// `get_example(num_words, common_repeats, uncommon_repeats, common_nums)`.
    mutating func example(_ numWords: Int, _ commonRepeats: Int, _ uncommonRepeats: Int, _ commonNums: Int) throws(RULERError) -> (String, [String]) {
        guard numWords >= 0 && numWords <= words.count else {
            throw .pythonException(task: task, reason: "ValueError: Sample larger than population or is negative")
        }
        let full = rng.sample(words, k: numWords)
        let common = Array(full.prefix(commonNums)), uncommon = Array(full.dropFirst(commonNums))
        var list: [String] = []
        for _ in 0..<max(0, commonRepeats) { list += common }
        for _ in 0..<max(0, uncommonRepeats) { list += uncommon }
        var fresh = PythonRandom(seed: seed)
        fresh.shuffle(&list)
        return (Self.numbered(list), common)
    }

    /// `generate_input_output(num_words)`.
    mutating func generateInputOutput(_ numWords: Int) throws(RULERError) -> (String, [String]) {
        let shot: (String, [String]), context: String, answer: [String]
        if maxSeqLength < 4096 {
            shot = try example(20, 3, 1, numCW)
            (context, answer) = try example(numWords, 6, 1, numCW)
        } else {
            shot = try example(40, 10, 3, numCW)
            (context, answer) = try example(numWords, freqCW, freqUCW, numCW)
        }
        let template = RULERTemplates.commonWords.prompt
        let inputExample = RULERText.format(template, ["context": shot.0, "query": ""]) + Self.numbered(shot.1)
        let input = RULERText.format(template, ["context": context, "query": ""])
        return (inputExample + "\n" + input, answer)
    }

    /// `sys_word_pair_random`.
    mutating func generateSamples(numSamples: Int) throws(RULERError) -> [RULERSample] {
        let tokensToGenerate = RULERTemplates.commonWords.tokensToGenerate
        let incremental = 10
        let numWords = try RULERSizing.grow(incremental: incremental, maxSeqLength: maxSeqLength, fixed: tokensToGenerate,
                                            capAfterStep: words.count) { n throws(RULERError) in
            let (text, answer) = try generateInputOutput(n)
            return counter.count(text + " " + Self.numbered(answer))
        }

        var out: [RULERSample] = []
        for _ in 0..<numSamples {
            let (text, answer, length) = try RULERSizing.fittingSample(
                task: task, start: numWords, incremental: incremental, maxSeqLength: maxSeqLength) { used throws(RULERError) in
                do throws(RULERError) {
                    let (text, answer) = try generateInputOutput(used)
                    return (text, answer, counter.count(text) + tokensToGenerate)
                } catch {
                    guard case .pythonException = error else { throw error }
                    return nil
                }
            }
            let (input, prefix) = RULERText.splitAtLast(text, RULERTemplates.commonWords.answerPrefixMarker)
            out.append(RULERSample(input: input, answerPrefix: prefix, outputs: answer, length: length))
        }
        return out
    }
}
