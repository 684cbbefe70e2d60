import Foundation

/// RULER's frequent words extraction generator (`long_context_eval/data/synthetic/
/// freq_words_extraction.py` of `nvidia-long-context-eval==26.3`, `--alpha 2.0`): a vocabulary of
/// max_seq_length // 50 random 6-letter words (global `random`), sorted, shuffled by a fresh
/// `random.Random(seed)`, its first word replaced by "..."; word k (1-based) repeated
/// `int(num_words * k**-alpha / zeta(alpha))` times, the list shuffled by a fresh
/// `random.Random(seed)`. The answer is words 2–4. Every call draws a new vocabulary.
///
/// As in the wheel, `max_seq_length` bounds the prompt's tokens without the 50 tokens to
/// generate, so a record's `length` may pass it by up to 50.
struct RULERFreqWords {
    let task: String
    let seed: Int
    let maxSeqLength: Int
    let counter: RULERTokenCounter
    var rng: PythonRandom
    let codedWordLength = 6
    let alpha = 2.0
    /// `scipy.special.zeta(2.0)` = π²/6 as a double.
    static let zeta2 = 0x1.a51a6625307d3p+0
    static let lowercase = Array("abcdefghijklmnopqrstuvwxyz")

    init(task: String, seed: Int, maxSeqLength: Int, counter: RULERTokenCounter) {
        self.task = task; self.seed = seed; self.maxSeqLength = maxSeqLength; self.counter = counter
        rng = PythonRandom(seed: seed)
    }

    /// The vocabulary `generate_input_output` draws.
    mutating func vocabulary(size: Int) throws(RULERError) -> [String] {
        var vocab = (0..<size).map { _ in String(rng.choices(Self.lowercase, k: codedWordLength)) }
        while Set(vocab).count < size { vocab.append(String(rng.choices(Self.lowercase, k: codedWordLength))) }
        vocab = RULERText.sortedUnique(vocab)
        var fresh = PythonRandom(seed: seed)
        fresh.shuffle(&vocab)
        guard !vocab.isEmpty else {
            throw .pythonException(task: task, reason: "IndexError: list assignment index out of range (max_seq_length // 50 is 0)")
        }
        vocab[0] = "..."
        return vocab
    }

    /// `gen_text(num_words)`: the prompt and the answer. numpy computes `num_words * k**-alpha /
    /// zeta(alpha)` in float64 and truncates; its SIMD `power` may differ from libm's `pow` by an
    /// ulp, which never moved a truncated count in a check of every num_words to 300,000 against
    /// k to 4,000.
    func text(numWords: Int, vocab: [String]) -> (String, [String]) {
        var words: [String] = []
        for (i, w) in vocab.enumerated() {
            let count = Double(numWords) * Foundation.pow(Double(i + 1), -alpha) / Self.zeta2
            let n = Int(count.rounded(.towardZero))
            if n > 0 { words.append(contentsOf: repeatElement(w, count: n)) }
        }
        var fresh = PythonRandom(seed: seed)
        fresh.shuffle(&words)
        let prompt = RULERText.format(RULERTemplates.freqWords.prompt, ["context": words.joined(separator: " "), "query": ""])
        return (prompt, Array(vocab.dropFirst().prefix(3)))
    }

    /// `generate_input_output(max_len, num_words, ...)`: with num_words > 0, shrink it by
    /// `incremental` while the prompt is over `maxLen` tokens; otherwise grow from max_len // 6
    /// until it reaches `maxLen`, then step back once.
    mutating func generateInputOutput(maxLen: Int, numWords: Int, vocabSize: Int, incremental: Int) throws(RULERError) -> (String, [String], Int) {
        let vocab = try vocabulary(size: vocabSize)
        var n = numWords
        if n > 0 {
            var (prompt, _) = text(numWords: n, vocab: vocab)
            while counter.count(prompt) > maxLen {
                guard n > 0 else { throw .cannotFit(task: task, maxSeqLength: maxLen, haystack: n, length: counter.count(prompt)) }
                n -= incremental
                (prompt, _) = text(numWords: n, vocab: vocab)
            }
        } else {
            n = maxLen / codedWordLength
            var (prompt, _) = text(numWords: n, vocab: vocab)
            while counter.count(prompt) < maxLen {
                n += incremental
                (prompt, _) = text(numWords: n, vocab: vocab)
            }
            n -= incremental
        }
        let (prompt, answer) = text(numWords: n, vocab: vocab)
        return (prompt, answer, n)
    }

    /// `sys_kwext`.
    mutating func generateSamples(numSamples: Int) throws(RULERError) -> [RULERSample] {
        guard maxSeqLength >= 50 else {
            throw .invalidArgument(task: task, reason: "max_seq_length must be at least 50 (its vocabulary is max_seq_length // 50 words)")
        }
        let vocabSize = maxSeqLength / 50, incremental = maxSeqLength / 32
        let (_, _, numExampleWords) = try generateInputOutput(maxLen: maxSeqLength, numWords: -1, vocabSize: vocabSize, incremental: incremental)
        var out: [RULERSample] = []
        for _ in 0..<numSamples {
            let (text, answer, _) = try generateInputOutput(maxLen: maxSeqLength, numWords: numExampleWords,
                                                            vocabSize: vocabSize, incremental: incremental)
            let length = counter.count(text) + RULERTemplates.freqWords.tokensToGenerate
            let (input, prefix) = RULERText.splitAtLast(text, RULERTemplates.freqWords.answerPrefixMarker)
            out.append(RULERSample(input: input, answerPrefix: prefix, outputs: answer, length: length))
        }
        return out
    }
}
