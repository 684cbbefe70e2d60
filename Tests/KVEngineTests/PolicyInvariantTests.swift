import Foundation
import KVEngine
import PolicySpec
import Testing
import Assets

@Suite("PyramidKV budget formula")
struct PyramidBudgetTests {
    /// anchors.md §1.3's table for a 32-layer model, w = 8, β = 20, long prompt.
    @Test("reproduces the 32-layer table", arguments: [
        (64, 110, 17), (96, 172, 17), (128, 234, 17), (256, 484, 19), (512, 983, 53), (2048, 3978, 103),
    ])
    func table32(cap: Int, bottom: Int, top: Int) {
        let plan = PyramidBudget.nonWindowCounts(budget: cap, window: 8, beta: 20, layers: 32, promptLength: 100_000)
        #expect(plan.regime == .pyramid)
        #expect(plan.counts.first == bottom && plan.counts.last == top)
        #expect(zip(plan.counts, plan.counts.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test("ratio of the realised total to SnapKV's (anchors §1.3)")
    func totals() {
        for (cap, ratio) in [(64, 1.134), (128, 1.046), (512, 1.028), (2048, 1.000)] {
            let plan = PyramidBudget.nonWindowCounts(budget: cap, window: 8, beta: 20, layers: 32, promptLength: 100_000)
            let r = Double(plan.counts.reduce(0, +)) / Double(32 * (cap - 8))
            #expect(abs(r - ratio) < 0.0015, "cap \(cap): \(r)")
        }
    }

    @Test("regimes: short prompt uncompressed, medium uniform, long pyramid; the 30-layer model")
    func regimes() {
        #expect(PyramidBudget.nonWindowCounts(budget: 128, window: 8, beta: 20, layers: 30, promptLength: 100).regime == .uncompressed)
        let uniform = PyramidBudget.nonWindowCounts(budget: 128, window: 8, beta: 20, layers: 30, promptLength: 200)
        #expect(uniform.regime == .uniform && Set(uniform.counts) == [120])
        // 30 layers, cap 128: B′ 120, min 6, max 234, step (234 − 6) // 29 = 7.
        let p = PyramidBudget.nonWindowCounts(budget: 128, window: 8, beta: 20, layers: 30, promptLength: 3000)
        #expect(p.counts.first == 234 && p.counts.last == 234 - 29 * 7)
        // max clipped to n − w when the prompt is just long enough.
        let clipped = PyramidBudget.nonWindowCounts(budget: 128, window: 8, beta: 20, layers: 30, promptLength: 240)
        #expect(clipped.counts.first == 232 && clipped.regime == .pyramid)
        // paper2024: step divisor L.
        let paper = PyramidBudget.nonWindowCounts(budget: 128, window: 8, beta: 20, layers: 32, promptLength: 100_000,
                                                  stepDivisorIsLayers: true)
        #expect(paper.counts.first == 234 && paper.counts.last == 234 - 31 * 7)
    }
}

@Suite("KV policies on the real model", .serialized)
struct PolicyInvariantTests {
    static func prompt(_ n: Int) throws -> [Int32] {
        let model = try TestModel.get()
        let dir = DefaultAssets.haystackDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted()
        let text = try files.prefix(3).map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }.joined()
        return Array(model.tokenizer.encode(text).prefix(n))
    }

    static func run(_ config: BudgetedPolicy?, ids: [Int32]) throws -> (InferenceSession, [LayerSelection]) {
        let model = try TestModel.get()
        let session = InferenceSession(model: model, layout: config?.layout ?? .kvHead)
        let (_, sel) = try KVCompression.prefillAndCompress(session: session, ids: ids, policy: try config.flatMap(KVPolicies.make))
        return (session, sel)
    }

    @Test("every policy: kept counts, window tokens, positions ascending, bytes", arguments: PolicyConfig.Name.allCases)
    func invariants(name: PolicyConfig.Name) throws {
        let ids = try Self.prompt(700)
        let n = ids.count
        let config = PolicyConfig(name: name, layout: .queryHead).budgeted(128)
        let (session, selections) = try Self.run(name == .fullkv ? nil : config, ids: ids)
        let c = session.model.config
        let w = config.effectiveWindow
        var held = 0
        for (l, streams) in session.cache.layers.enumerated() {
            for (s, stream) in streams.enumerated() {
                let pos = stream.positions.map(Int.init)
                held += stream.count
                #expect(pos == pos.sorted() && Set(pos).count == pos.count, "layer \(l) stream \(s) positions")
                switch name {
                case .fullkv:
                    #expect(pos == Array(0..<n))
                case .snapkv, .h2o:
                    #expect(pos.count == 128)
                    #expect(Array(pos.suffix(w)) == Array((n - w)..<n), "window kept")
                case .pyramidkv:
                    let plan = PyramidBudget.nonWindowCounts(budget: 128, window: w, beta: 20, layers: c.layers, promptLength: n)
                    #expect(pos.count == plan.counts[l] + w)
                    #expect(Array(pos.suffix(w)) == Array((n - w)..<n))
                case .streamingllm:
                    #expect(pos == Array(0..<4) + Array((n - 124)..<n), "4 sinks + 124 recent")
                case .l2norm:
                    #expect(pos.count == (l < 2 ? n : 128))
                case .adakv:
                    #expect(Array(pos.suffix(w)) == Array((n - w)..<n))
                    #expect(pos.count >= w + Int(0.2 * Double(128 - w)))
                case .tova:
                    #expect(pos.count == 128 && pos.last == n - 1, "the last token is always kept")
                    #expect(pos == streams[0].positions.map(Int.init), "every head keeps the same positions")
                case .keydiff:
                    #expect(pos.count == 128)
                case .chunkkv:
                    // Whole 20-token chunks (the last one partial), about the budget.
                    let chunks = Set(pos.map { $0 / 20 })
                    #expect(chunks.allSatisfy { k in (k * 20..<min(n, k * 20 + 20)).allSatisfy(pos.contains) })
                    #expect(abs(pos.count - 128) <= 20)
                case .expectedAttention, .cam:
                    #expect(pos.count == 128)
                case .kvzip:
                    // Counts vary by layer and KV head (one ranking over all); the 4 sinks stay.
                    #expect(Array(pos.prefix(4)) == Array(0..<4), "sinks kept")
                    #expect(pos == streams[s / c.groupSize * c.groupSize].positions.map(Int.init), "a KV group keeps one set")
                }
                if !selections.isEmpty { #expect(selections[l].kept[s] == pos) }
            }
        }
        #expect(session.cache.bytes == held * c.headDim * 2 * 4)
        if name == .kvzip { #expect(held == 128 * c.layers * c.heads, "the mean budget over layers and heads") }
        if name == .adakv {
            // Heads of one layer keep different numbers of tokens.
            let varied = session.cache.layers.contains { Set($0.map(\.count)).count > 1 }
            #expect(varied)
        }
    }

    @Test("pyramid: bottom layer keeps more than the top, on the 30-layer model")
    func pyramidShape() throws {
        let ids = try Self.prompt(1200)
        let (session, _) = try Self.run(PolicyConfig(name: .pyramidkv).budgeted(128), ids: ids)
        let counts = session.cache.layers.map { $0[0].count }
        #expect(counts.first! > counts.last!)
        #expect(counts == counts.sorted(by: >))
    }

    @Test("prompts shorter than the budget are untouched; fullkv equals no policy")
    func shortPrompt() throws {
        let ids = try Self.prompt(100)
        for name in PolicyConfig.Name.allCases where name != .fullkv {
            let (session, _) = try Self.run(PolicyConfig(name: name).budgeted(128), ids: ids)
            for streams in session.cache.layers { for s in streams { #expect(s.count == ids.count, "\(name)") } }
        }
        let model = try TestModel.get()
        let a = try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 8))
        let b = try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 8,
                                                                       policy: PolicyConfig(name: .fullkv).budgeted(0)))
        #expect(a.tokens == b.tokens)
    }

    @Test("kv_head layout stores un-repeated heads: a third of query_head's bytes")
    func layouts() throws {
        let ids = try Self.prompt(600)
        let (q, _) = try Self.run(PolicyConfig(name: .snapkv, layout: .queryHead).budgeted(128), ids: ids)
        let (k, _) = try Self.run(PolicyConfig(name: .snapkv, layout: .kvHead).budgeted(128), ids: ids)
        #expect(q.cache.bytes == 3 * k.cache.bytes)
        #expect(k.cache.layers[0].count == 3 && q.cache.layers[0].count == 9)
    }

    @Test("decoding continues at the true positions after compression")
    func positionsContinue() throws {
        let ids = try Self.prompt(500)
        let model = try TestModel.get()
        let r = try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 5, stopIDs: [],
                                                                       policy: PolicyConfig(name: .snapkv).budgeted(64)))
        #expect(r.tokens.count == 5)
        // 64 kept + 4 decoded tokens appended (the 5th is sampled, not fed), per stream.
        #expect(r.kvBytes == model.config.layers * model.config.heads * (64 + 4) * model.config.headDim * 8)
    }

    @Test("invalid parameters are rejected naming the parameter")
    func validation() {
        func reason(_ c: BudgetedPolicy) -> String? {
            do { try c.validate(); return nil } catch { return "\(error)" }
        }
        #expect(reason(PolicyConfig(name: .snapkv).budgeted(8))?.hasPrefix("budget") == true)
        #expect(reason(PolicyConfig(name: .snapkv, kernel: 6).budgeted(64))?.hasPrefix("kernel") == true)
        #expect(reason(PolicyConfig(name: .pyramidkv, beta: 0).budgeted(64))?.hasPrefix("beta") == true)
        #expect(reason(PolicyConfig(name: .h2o).budgeted(0))?.hasPrefix("budget") == true)
        #expect(reason(PolicyConfig(name: .snapkv, window: 0).budgeted(64))?.hasPrefix("window") == true)
        #expect(reason(PolicyConfig(name: .snapkv).budgeted(64)) == nil)
    }
}
