import Foundation
@testable import KVEngine
import PolicySpec
import Testing

/// KVzip against kvpress 0.5.5's `KVzipPress` itself (tools/gen_press_reference.py, fixture
/// press_reference.json: its replay prompt ids and, per prompt × budget, the kept positions of
/// every layer and KV head, from the press's `masked_key_indices`). The reference keeps
/// n·L·H − int(n·L·H·r) entries over all layers and heads; the fixture records that total, and
/// ours is asked for the same. ≥ 99 % of kept entries agree per case, per layer and per layer and
/// KV head (a global ranking could move a boundary entry between layers where scores differ in the
/// 5th digit; on these 9 cases none moves enough to matter).
@Suite("KVzip against kvpress", .serialized)
struct KVzipReferenceTests {
    struct Prompt: Decodable { let n: Int; let ids: [Int32] }
    struct Case: Decodable {
        let method: String; let prompt: String; let budget: Int; let kept_total: Int?
        let kept_counts: [[Int]]; let layers: [[String]]
    }
    struct Repeat: Decodable {
        let prefix_length: Int; let first_chunk_question_ids: [Int32]; let later_chunk_question_ids: [Int32]; let suffix_ids: [Int32]
    }
    struct File: Decodable { let prompts: [String: Prompt]; let cases: [Case]; let kvzip_repeat_prompt: Repeat }

    static let file: File? = {
        guard let d = try? Fixtures.data("press_reference.json") else { return nil }
        return try? JSONDecoder().decode(File.self, from: d)
    }()

    @Test("the replay prompt is kvpress's: chat prefix skipped, question, end of turn")
    func replayPrompt() throws {
        let file = try #require(Self.file, "press_reference.json fixture missing")
        let model = try TestModel.get()
        let prompts = KVzipReconstruction.Prompts(model: model)
        let want = file.kvzip_repeat_prompt
        #expect(prompts.prefix.count == want.prefix_length)
        #expect(prompts.firstQuestion == want.first_chunk_question_ids)
        #expect(prompts.laterQuestion == want.later_chunk_question_ids)
        #expect(prompts.suffix == want.suffix_ids)
        let ids = try #require(file.prompts["p310"]).ids
        #expect(prompts.contextStart(of: ids) == want.prefix_length)
        #expect(prompts.contextStart(of: Array(ids.dropFirst())) == 0, "a prompt without the chat prefix is replayed whole")
    }

    @Test("kept entries agree with KVzipPress", arguments: ["p310", "p710", "p1210"])
    func agreement(prompt name: String) throws {
        let file = try #require(Self.file, "press_reference.json fixture missing")
        let prompt = try #require(file.prompts[name])
        let model = try TestModel.get()
        let session = InferenceSession(model: model, layout: .kvHead)
        let logits = try session.prefill(prompt.ids)
        let scores = try KVzipReconstruction.scores(session: session, promptIDs: prompt.ids, logits: logits,
                                                    prompts: KVzipReconstruction.Prompts(model: model))
        // The replays leave the session as the prefill left it.
        #expect(session.position == prompt.n && session.cache.layers.allSatisfy { $0.allSatisfy { $0.count == prompt.n } })
        #expect(session.argmaxOfLastLogits() == Int32(logits.indices.max { logits[$0] < logits[$1] }!))
        let cases = file.cases.filter { $0.method == "KVzipPress" && $0.prompt == name }
        #expect(cases.count == 3)
        for c in cases {
            let total = try #require(c.kept_total)
            let ours = KVzipPolicy.selections(scores: scores, keptTotal: total, budget: c.budget, cache: session.cache)
            var same = 0, kept = 0
            for (l, heads) in c.layers.enumerated() {
                var layerSame = 0, layerKept = 0
                for (h, hex) in heads.enumerated() {
                    let reference = PolicyReferenceTests.positions(hex: hex, n: prompt.n)
                    let headSame = Set(ours[l].kept[h]).intersection(reference).count
                    #expect(Double(headSame) >= 0.99 * Double(reference.count), "\(name) @\(c.budget) layer \(l) head \(h): \(headSame)/\(reference.count)")
                    layerSame += headSame
                    layerKept += reference.count
                }
                #expect(Double(layerSame) >= 0.99 * Double(layerKept), "\(name) @\(c.budget) layer \(l): \(layerSame)/\(layerKept)")
                same += layerSame
                kept += layerKept
            }
            #expect(kept == total && ours.reduce(0) { $0 + $1.kept.reduce(0) { $0 + $1.count } } == total)
            #expect(Double(same) >= 0.99 * Double(total), "\(name) @\(c.budget): \(same)/\(total)")
        }
    }

    @Test("through the engine: the budget is the mean per layer and KV head, bytes follow, query_head repeats")
    func engine() throws {
        let file = try #require(Self.file, "press_reference.json fixture missing")
        let ids = try #require(file.prompts["p710"]).ids
        let model = try TestModel.get()
        let c = model.config
        for layout in [CacheLayout.kvHead, .queryHead] {
            let policy = PolicyConfig(name: .kvzip, layout: layout).budgeted(64)
            let result = try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 2, stopIDs: [],
                                                                                policy: policy))
            let streams = layout == .kvHead ? c.kvHeads : c.heads
            // kept entries × (K and V) × head dim × f32, plus the first generated token's row in every
            // stream (the second comes from its logits, not cached)
            let keptPerKVHead = c.layers * c.kvHeads * 64
            let bytes = (keptPerKVHead * (streams / c.kvHeads) + c.layers * streams) * 2 * c.headDim * 4
            #expect(result.kvBytes == bytes, "\(layout): \(result.kvBytes) vs \(bytes)")
        }
        // A prompt within the budget is kept whole without a replay.
        let short = Array(ids.prefix(40))
        let whole = try Generator(model: model).generate(GenerationRequest(promptIDs: short, maxNewTokens: 1, stopIDs: [],
                                                                           policy: PolicyConfig(name: .kvzip).budgeted(64)))
        #expect(whole.kvBytes == 40 * c.layers * c.heads * 2 * c.headDim * 4)
    }
}
