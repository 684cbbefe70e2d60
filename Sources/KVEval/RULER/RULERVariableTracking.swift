/// RULER's variable tracking generator (`long_context_eval/data/synthetic/variable_tracking.py` of
/// `nvidia-long-context-eval==26.3`), with its two passes: first a one-sample run at
/// max_seq_length 500 (incremental 5) with 3-letter variables (the in-context example), then the
/// real run (incremental 10) with that example re-lettered (`randomize_icl`) in front of every
/// prompt. Variable names come from the global `random`; chain values from numpy's legacy global
/// generator, both seeded with the same seed.
struct RULERVariableTracking {
    let task: String
    let maxSeqLength: Int
    let numChains: Int
    let numHops: Int
    let counter: RULERTokenCounter
    var rng: PythonRandom
    var np: NumpyLegacyRandom

    static let uppercase = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let template = RULERTemplates.variableTracking

    init(task: String, seed: Int, maxSeqLength: Int, numChains: Int, numHops: Int, counter: RULERTokenCounter) throws(RULERError) {
        guard seed >= 0 && seed <= Int(UInt32.max) else {
            throw .invalidArgument(task: task, reason: "np.random.seed needs 0 <= seed < 2**32, got \(seed)")
        }
        self.task = task; self.maxSeqLength = maxSeqLength; self.numChains = numChains; self.numHops = numHops
        self.counter = counter
        rng = PythonRandom(seed: seed)
        np = NumpyLegacyRandom(seed: UInt32(seed))
    }

    mutating func randomName(_ k: Int) -> String { String(rng.choices(Self.uppercase, k: k)) }

    /// `generate_chains`. RULER keeps drawing names until they are distinct, then cuts the
    /// (possibly longer) list into chains; a short last chain raises IndexError after its value draw.
    mutating func generateChains(icl: Bool) throws(RULERError) -> ([[String]], [[String]]) {
        let k = icl ? 3 : 5
        let hops = icl ? min(10, numHops) : numHops
        let needed = (hops + 1) * numChains
        var all = (0..<needed).map { _ in randomName(k) }
        while Set(all).count < needed { all.append(randomName(k)) }
        var vars: [[String]] = [], chains: [[String]] = []
        for i in stride(from: 0, to: all.count, by: hops + 1) {
            let these = Array(all[i..<min(i + hops + 1, all.count)])
            vars.append(these)
            var chain = ["VAR \(these[0]) = \(np.randint(10000, 99999))"]
            for j in 0..<hops {
                guard j + 1 < these.count else { throw .pythonException(task: task, reason: "IndexError: list index out of range (generate_chains)") }
                chain.append("VAR \(these[j + 1]) = VAR \(these[j]) ")
            }
            chains.append(chain)
        }
        return (vars, chains)
    }

    /// `generate_input_output(num_noises, ...)`: the noise lines (cut at every "." when there are
    /// no more of them than chain links), the chains inserted at sorted random positions, joined
    /// with " ", then ". \n" → ".\n".
    mutating func generateInputOutput(_ numNoises: Int, icl: Bool) throws(RULERError) -> (String, [String]) {
        let (vars, drawn) = try generateChains(icl: icl)
        var chains = drawn
        var sentences = Array(repeating: RULERTemplates.variableTrackingNoise, count: max(0, numNoises))
        if sentences.count <= chains[0].count {
            var pieces: [String] = []
            for noise in sentences {
                for piece in noise.split(separator: ".", omittingEmptySubsequences: false) {
                    let p = String(piece)
                    pieces.append(RULERText.strip(p).isEmpty ? p : p + ".")
                }
            }
            sentences = pieces
            if sentences.count <= chains[0].count {  // "reduces chain length for not enough noises"
                let end = sentences.count - 1  // chain[:len(sentences)-1], a Python slice
                chains = chains.map { Array($0.prefix(end >= 0 ? end : max(0, $0.count + end))) }
            }
        }
        for chain in chains {
            guard chain.count <= sentences.count else {
                throw .pythonException(task: task, reason: "ValueError: Sample larger than population or is negative")
            }
            let positions = rng.sampleIndices(n: sentences.count, k: chain.count).sorted()
            for (p, j) in zip(positions, 0..<chain.count) { sentences.insert(chain[j], at: p + j) }
        }
        let context = RULERText.replace(sentences.joined(separator: " "), ". \n", ".\n")
        guard let first = chains[0].first else {
            throw .pythonException(task: task, reason: "IndexError: list index out of range (chains[0][0])")
        }
        let value = RULERText.strip(String(first.split(separator: "=", omittingEmptySubsequences: false).last!))
        let input = RULERText.format(Self.template.prompt, ["context": context, "query": value, "num_v": String(numHops + 1)])
        return (input, vars[0])
    }

    /// `randomize_icl`: new letters for every word after the example's first "they are: "
    /// (`str.replace` on the whole example, so every occurrence).
    mutating func randomizeICL(_ example: String) throws(RULERError) -> String {
        let bytes = Array(example.utf8)
        let marker = Array(String(Self.template.answerPrefix.unicodeScalars.suffix(10).map(Character.init)).utf8)
        guard let cut = RULERText.find(bytes, marker) else {
            throw .pythonException(task: task, reason: "ValueError: substring not found (randomize_icl)")
        }
        var ex = example
        let tail = String(decoding: bytes[(cut + marker.count)...], as: UTF8.self)
        for item in RULERText.splitWhitespace(RULERText.strip(tail)) {
            ex = RULERText.replace(ex, item, randomName(item.unicodeScalars.count))
        }
        return ex
    }

    /// One `sys_vartrack_w_noise_random` pass; `example` is the in-context example's input and
    /// outputs (nil for the pass that makes it).
    mutating func pass(numSamples: Int, maxSeqLength: Int, incremental: Int, example: (input: String, outputs: [String])?) throws(RULERError) -> [(text: String, answer: [String], length: Int)] {
        let icl = example == nil  // add_fewshot & (icl_example is None)
        let tokensToGenerate = Self.template.tokensToGenerate
        var exampleText: String?
        var exampleTokens = 0
        if let e = example {
            let text = e.input + " " + e.outputs.joined(separator: " ") + "\n\n"
            exampleText = text
            exampleTokens = counter.count(text)
        }
        let numNoises = try RULERSizing.grow(incremental: incremental, maxSeqLength: maxSeqLength,
                                             fixed: tokensToGenerate + exampleTokens) { n throws(RULERError) in
            let (text, answer) = try generateInputOutput(n, icl: icl)
            return counter.count(text + " " + PyRepr.list(answer))
        }

        var out: [(text: String, answer: [String], length: Int)] = []
        let cutoffMarker = Array(String(Self.template.template.unicodeScalars.prefix(20).map(Character.init)).utf8)
        for _ in 0..<numSamples {
            // RULER's retry loop regenerates at num_noises (not the shrinking used_noises).
            let sample = try RULERSizing.fittingSample(
                task: task, start: numNoises, incremental: incremental, maxSeqLength: maxSeqLength) { _ throws(RULERError) in
                do throws(RULERError) {
                    let (text, answer) = try generateInputOutput(numNoises, icl: icl)
                    return (text, answer, counter.count(text) + tokensToGenerate + exampleTokens)
                } catch {
                    guard case .pythonException = error else { throw error }
                    return nil
                }
            }
            var text = sample.text
            if let ex = exampleText {
                let bytes = Array(text.utf8)
                guard let cut = RULERText.find(bytes, cutoffMarker) else {
                    throw .pythonException(task: task, reason: "ValueError: substring not found (template cutoff)")
                }
                let relettered = try randomizeICL(ex)
                text = String(decoding: bytes[..<cut], as: UTF8.self) + " " + relettered + "\n\n"
                    + String(decoding: bytes[cut...], as: UTF8.self)
            }
            out.append((text, sample.answer, sample.length))
        }
        return out
    }

    /// `main()`: the in-context example, then the samples.
    mutating func generateSamples(numSamples: Int) throws(RULERError) -> [RULERSample] {
        let e = try pass(numSamples: 1, maxSeqLength: 500, incremental: 5, example: nil)[0]
        return try pass(numSamples: numSamples, maxSeqLength: maxSeqLength, incremental: 10, example: (e.text, e.answer)).map {
            let (input, prefix) = RULERText.splitAtLast($0.text, Self.template.answerPrefixMarker)
            return RULERSample(input: input, answerPrefix: prefix, outputs: $0.answer, length: $0.length)
        }
    }
}
