/// RULER's needle-in-a-haystack generator (`long_context_eval/data/synthetic/niah.py` of
/// `nvidia-long-context-eval==26.3`), in RULER's exact call order on the seeded global `random`
/// (one `PythonRandom` for the whole run, `random.Random(seed)` fresh for each needle shuffle).
/// numpy is seeded too but niah never draws from it. The `repeat` and `needle` haystacks are
/// exact; the `essay` haystack is RULER's text with a documented sentence splitter (see
/// `RULEREssayHaystack`).
struct RULERNiah {
    enum Haystack: Sendable { case `repeat`, needle, essay(RULEREssayHaystack) }
    enum NeedleType: String, Sendable { case numbers, words, uuids }

    struct Config: Sendable {
        var haystack: Haystack
        var typeK: NeedleType
        var typeV: NeedleType
        var numK = 1, numV = 1, numQ = 1
    }

    let task: String
    let config: Config
    let seed: Int
    let maxSeqLength: Int
    let words: RULERKeyWords
    let counter: RULERTokenCounter
    var rng: PythonRandom
    /// The last generated input's haystack and every needle it holds (the task's own needles,
    /// then the `needle` haystack's distractors in text order) with the indices of the queried
    /// ones: what `followUps` asks about. Recording draws nothing from `rng`.
    private(set) var lastContext = ""
    private(set) var lastNeedles: [(key: String, values: [String])] = []
    private(set) var lastQueried: [Int] = []
    private var lastDistractors: [(key: String, values: [String])] = []

    init(task: String, config: Config, seed: Int, maxSeqLength: Int, words: RULERKeyWords, counter: RULERTokenCounter) {
        var c = config
        c.numK = max(c.numK, c.numQ)  // args.num_needle_k = max(num_needle_k, num_needle_q)
        self.task = task; self.config = c; self.seed = seed; self.maxSeqLength = maxSeqLength
        self.words = words; self.counter = counter
        rng = PythonRandom(seed: seed)
    }

    mutating func random(_ t: NeedleType) -> String {
        switch t {
        case .numbers: return String(rng.randint(1_000_000, 9_999_999))
        case .words: return words[rng.choiceIndex(count: words.count)]
        case .uuids: return Self.uuid4(rng.getrandbitsWords(128))
        }
    }

    /// `str(uuid.UUID(int=getrandbits(128), version=4))`.
    static func uuid4(_ words: [UInt32]) -> String {
        var hi = UInt64(words[3]) << 32 | UInt64(words[2])
        var lo = UInt64(words[1]) << 32 | UInt64(words[0])
        // variant: clear bits 62-63 of lo, set bit 63; version: bits 76-79 = 4
        lo &= ~(UInt64(0xc000) << 48); lo |= UInt64(0x8000) << 48
        hi &= ~(UInt64(0xf000) << 0); hi |= UInt64(4) << 12
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: digits - s.count) + s
        }
        let h = hex(hi, 16), l = hex(lo, 16)
        let all = Array(h + l)
        return String(all[0..<8]) + "-" + String(all[8..<12]) + "-" + String(all[12..<16]) + "-"
            + String(all[16..<20]) + "-" + String(all[20..<32])
    }

    /// `generate_input_output(num_haystack)`. Throws where `random.sample` raises (fewer haystack
    /// sentences than needles).
    mutating func generateInputOutput(_ numHaystack: Int) throws(RULERError) -> (String, [String]) {
        var keys: [String] = [], values: [[String]] = [], needles: [String] = []
        for _ in 0..<config.numK {
            keys.append(random(config.typeK))
            var value: [String] = []
            for _ in 0..<config.numV {
                value.append(random(config.typeV))
                needles.append(RULERText.format(RULERTemplates.needle, [
                    "type_needle_v": config.typeV.rawValue, "key": keys[keys.count - 1], "value": value[value.count - 1]]))
            }
            values.append(value)
        }
        var fresh = PythonRandom(seed: seed)
        fresh.shuffle(&needles)

        var sentences: [String] = []
        lastDistractors = []
        switch config.haystack {
        case .essay(let essay):
            return finish(context: essayContext(essay.words, numHaystack, needles), keys: keys, values: values)
        case .repeat:
            sentences = Array(repeating: RULERTemplates.noise, count: max(0, numHaystack))
        case .needle:
            for _ in 0..<max(0, numHaystack) {
                let key = random(config.typeK)
                let value = random(config.typeV)
                lastDistractors.append((key, [value]))
                sentences.append(RULERText.format(RULERTemplates.needle, [
                    "type_needle_v": config.typeV.rawValue, "key": key, "value": value]))
            }
        }
        guard numHaystack >= needles.count else {
            throw .pythonException(task: task, reason: "ValueError: Sample larger than population or is negative")
        }
        let indexes = rng.sampleIndices(n: numHaystack, k: needles.count).sorted(by: >)
        for (index, element) in zip(indexes, needles) { sentences.insert(element, at: index) }
        return finish(context: sentences.joined(separator: "\n"), keys: keys, values: values)
    }

    /// The essay branch: the first `numHaystack` words (`haystack[:num_haystack]`), split into
    /// sentences, needles inserted at `int(len(sentences) * depth / 100)` for depths sampled from
    /// the 40 rounded linspace depths.
    mutating func essayContext(_ haystack: [String], _ numHaystack: Int, _ needles: [String]) -> String {
        let words = haystack.prefix(max(0, numHaystack))
        let sents = RULEREssayHaystack.sentences(RULERText.strip(words.joined(separator: " ")))
        let depths = rng.sample(RULEREssayHaystack.depths, k: needles.count)
        let positions = [0] + depths.map { Int(Double(sents.count) * (Double($0) / 100)) }.sorted() + [sents.count]
        var parts: [String] = []
        for i in 1..<positions.count {
            parts.append(sents[positions[i - 1]..<positions[i]].joined(separator: " "))
            if i - 1 < needles.count { parts.append(needles[i - 1]) }
        }
        return parts.joined(separator: " ")
    }

    /// Query, answers and the template (shared by every haystack).
    mutating func finish(context: String, keys: [String], values: [[String]]) -> (String, [String]) {
        let indices = rng.sampleIndices(n: config.numK, k: config.numQ)
        lastContext = context
        lastNeedles = zip(keys, values).map { ($0, $1) } + lastDistractors
        lastQueried = indices
        let queries = indices.map { keys[$0] }
        let answers = indices.flatMap { values[$0] }
        let query = queries.count > 1
            ? queries.dropLast().joined(separator: ", ") + ", and " + queries[queries.count - 1]
            : queries[0]

        var template = RULERTemplates.niah.prompt
        var typeV = config.typeV.rawValue
        if config.numQ * config.numV == 1 {
            template = Self.singular(template)
            typeV = String(typeV.dropLast())
        }
        let input = RULERText.format(template, ["type_needle_v": typeV, "context": context, "query": query])
        return (input, answers)
    }

    /// `questions: k` on the last generated input: k − 1 more questions on the same haystack, each
    /// about one other needle's key in RULER's own template (singular as RULER words a one-key
    /// question), answered by that needle's values. Keys that occur twice, or equal a queried one,
    /// are ambiguous and skipped; the rest are taken evenly spread over the haystack's needles.
    func followUps(questions k: Int) throws(RULERError) -> [RULERSample] {
        guard k > 1 else { return [] }
        let queried = Set(lastQueried.map { lastNeedles[$0].key })
        var counts: [String: Int] = [:]
        for needle in lastNeedles { counts[needle.key, default: 0] += 1 }
        let candidates = lastNeedles.filter { !queried.contains($0.key) && counts[$0.key] == 1 }
        guard candidates.count >= k - 1 else {
            throw .invalidArgument(task: task, reason: "questions: \(k) needs \(k - 1) other unambiguous needles, the haystack has \(candidates.count)")
        }
        var template = RULERTemplates.niah.prompt
        var typeV = config.typeV.rawValue
        if config.numV == 1 {
            template = Self.singular(template)
            typeV = String(typeV.dropLast())
        }
        return (1..<k).map { j in
            let needle = candidates[(j - 1) * candidates.count / (k - 1)]
            let text = RULERText.format(template, ["type_needle_v": typeV, "context": lastContext, "query": needle.key])
            let (input, prefix) = RULERText.splitAtLast(text, RULERTemplates.niah.answerPrefixMarker)
            return RULERSample(input: input, answerPrefix: prefix, outputs: needle.values,
                               length: counter.count(text) + RULERTemplates.niah.tokensToGenerate)
        }
    }

    /// `generate_samples`: the haystack size grown step by step (each probe draws a full sample
    /// from the shared generator and counts `input + ' '.join(answer)`), then each sample,
    /// shrinking on overflow.
    mutating func generateSamples(numSamples: Int, questions: Int = 1) throws(RULERError) -> [RULERSample] {
        let tokensToGenerate = RULERTemplates.niah.tokensToGenerate
        var incremental = 25  // repeat and needle
        var essayWords: Int?
        if case .essay(let essay) = config.haystack { incremental = 500; essayWords = essay.words.count }
        if essayWords == nil && maxSeqLength < 4096 { incremental = 5 }

        let numHaystack = try RULERSizing.grow(incremental: incremental, maxSeqLength: maxSeqLength, fixed: tokensToGenerate,
                                               capBeforeStep: essayWords) { n throws(RULERError) in
            let (text, answer) = try generateInputOutput(n)
            return counter.count(text + answer.joined(separator: " "))
        }

        var out: [RULERSample] = []
        for _ in 0..<numSamples {
            let (text, answer, length) = try RULERSizing.fittingSample(
                task: task, start: numHaystack, incremental: incremental, maxSeqLength: maxSeqLength) { used throws(RULERError) in
                do throws(RULERError) {
                    let (text, answer) = try generateInputOutput(used)
                    return (text, answer, counter.count(text) + tokensToGenerate)
                } catch {
                    guard case .pythonException = error else { throw error }
                    return nil
                }
            }
            let (input, prefix) = RULERText.splitAtLast(text, RULERTemplates.niah.answerPrefixMarker)
            var sample = RULERSample(input: input, answerPrefix: prefix, outputs: answer, length: length)
            sample.followUps = try followUps(questions: questions)
            out.append(sample)
        }
        return out
    }

    /// niah.py's rewording for one needle and one query (`num_needle_q * num_needle_v == 1`).
    static func singular(_ template: String) -> String {
        var t = RULERText.replace(template, "Some", "A")
        t = RULERText.replace(t, "are all", "is")
        t = RULERText.replace(t, "are", "is")
        return RULERText.replace(t, "answers", "answer")
    }
}
