/// RULER's variable tracking generator (scripts/data/synthetic/variable_tracking.py), `noise`
/// haystack, with its two passes: first a one-sample run at max_seq_length 500 with 3-letter
/// variables and the value 12345 (the in-context example, no generation budget), then the real
/// run with that example re-randomised (`randomize_icl`) in front of every prompt. Variable names
/// come from the global `random`; chain values from numpy's legacy global generator, both seeded
/// with the same seed.
struct RULERVariableTracking {
    let task: String
    let maxSeqLength: Int
    let numChains: Int
    let numHops: Int
    let counter: RULERTokenCounter
    var rng: PythonRandom
    var np: NumpyLegacyRandom

    static let uppercase = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

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
            var chain = [icl ? "VAR \(these[0]) = 12345" : "VAR \(these[0]) = \(np.randint(10000, 99999))"]
            for j in 0..<hops {
                guard j + 1 < these.count else { throw .pythonException(task: task, reason: "IndexError: list index out of range (generate_chains)") }
                chain.append("VAR \(these[j + 1]) = VAR \(these[j]) ")
            }
            chains.append(chain)
        }
        return (vars, chains)
    }

    /// `generate_input_output(num_noises, ...)` for the noise haystack.
    mutating func generateInputOutput(_ numNoises: Int, icl: Bool) throws(RULERError) -> (String, [String]) {
        let (vars, chains) = try generateChains(icl: icl)
        let value = RULERText.strip(String(chains[0][0].split(separator: "=", omittingEmptySubsequences: false).last!))
        var sentences = Array(repeating: RULERTemplates.noise, count: numNoises)
        for chain in chains {
            let positions = rng.sampleIndices(n: sentences.count, k: chain.count).sorted()
            for (p, j) in zip(positions, 0..<chain.count) { sentences.insert(chain[j], at: p + j) }
        }
        let context = RULERText.replace(sentences.joined(separator: "\n"), ". \n", ".\n")
        let hops = icl ? min(10, numHops) : numHops
        let input = RULERText.format(RULERTemplates.variableTracking.prompt, [
            "context": context, "query": value, "num_v": String(hops + 1)])
        return (input, vars[0])
    }

    /// `randomize_icl`: new letters for the example's last num_hops+1 words (str.replace on the
    /// whole example, so every occurrence), then a new value for 12345.
    mutating func randomizeICL(_ example: String) -> String {
        var ex = example
        let words = RULERText.splitWhitespace(RULERText.strip(example))
        for item in words.suffix(numHops + 1) {
            let new = randomName(item.unicodeScalars.count)
            ex = RULERText.replace(ex, item, new)
        }
        return RULERText.replace(ex, "12345", String(np.randint(10000, 99999)))
    }

    /// One `sys_vartrack_w_noise_random` pass.
    mutating func pass(numSamples: Int, maxSeqLength: Int, iclExample: RULERSample?, finalOutput: Bool) throws(RULERError) -> [RULERSample] {
        let icl = iclExample == nil  // add_fewshot & (icl_example is None)
        let tokensToGenerate = iclExample != nil ? RULERTemplates.variableTracking.tokensToGenerate : 0
        var incremental: Int
        if iclExample != nil {
            incremental = 10
            if self.maxSeqLength < 4096 { incremental = 5 }  // args.max_seq_length
        } else {
            incremental = 5
        }
        var exampleText: String?
        var exampleTokens = 0
        if let e = iclExample {
            let text = e.input + " " + e.outputs.joined(separator: " ") + "\n"
            exampleText = text
            exampleTokens = counter.count(text)
        }
        let (sampleText, _) = try generateInputOutput(incremental, icl: icl)
        let tokensPerHaystack = Double(counter.count(sampleText)) / Double(incremental)
        let estimated = Int((Double(maxSeqLength) / tokensPerHaystack) * 3)
        let numNoises = try RULERSizing.largestFitting(incremental: incremental, upper: max(estimated, incremental * 2),
                                                      maxSeqLength: maxSeqLength) { mid throws(RULERError) in
            try counter.count(generateInputOutput(mid, icl: icl).0) + exampleTokens + tokensToGenerate
        }

        var out: [RULERSample] = []
        let cutoffMarker = Array(String(RULERTemplates.variableTracking.template.unicodeScalars.prefix(20).map(Character.init)).utf8)
        for _ in 0..<numSamples {
            // RULER's bare `except:` shrinks the haystack, or retries at the smallest size.
            let (text, answer, length) = try RULERSizing.fittingSample(
                task: task, start: numNoises, incremental: incremental, maxSeqLength: maxSeqLength) { used in
                do {
                    var (text, answer) = try generateInputOutput(used, icl: icl)
                    if let ex = exampleText {
                        let bytes = Array(text.utf8)
                        guard let cut = RULERText.find(bytes, cutoffMarker) else {
                            throw RULERError.pythonException(task: task, reason: "ValueError: substring not found")
                        }
                        text = String(decoding: bytes[..<cut], as: UTF8.self) + randomizeICL(ex) + "\n"
                            + String(decoding: bytes[cut...], as: UTF8.self)
                    }
                    return (text, answer, counter.count(text) + tokensToGenerate)
                } catch {
                    return nil
                }
            }
            if finalOutput {
                let (input, prefix) = RULERText.splitAtLast(text, RULERTemplates.variableTracking.answerPrefixMarker)
                out.append(RULERSample(input: input, answerPrefix: prefix, outputs: answer, length: length))
            } else {
                out.append(RULERSample(input: text, answerPrefix: "", outputs: answer, length: length))
            }
        }
        return out
    }

    /// `main()`: the in-context example, then the samples.
    mutating func generateSamples(numSamples: Int) throws(RULERError) -> [RULERSample] {
        let example = try pass(numSamples: 1, maxSeqLength: 500, iclExample: nil, finalOutput: false)[0]
        return try pass(numSamples: numSamples, maxSeqLength: maxSeqLength, iclExample: example, finalOutput: true)
    }
}
