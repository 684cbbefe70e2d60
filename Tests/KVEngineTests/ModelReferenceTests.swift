import Foundation
import KVEngine
import PolicySpec
import Testing

/// The forward pass against transformers (float32, weights dequantized from the same GGUF).
@Suite("Forward pass against transformers", .serialized)
struct ModelReferenceTests {
    struct Greedy: Decodable { let ids: [Int32]; let top1_margin: [Float]; let max_new_tokens: Int }
    struct Top: Decodable { let ids: [Int32]; let logits: [Float] }
    struct Prompt: Decodable { let name: String; let input_ids: [Int32]; let top20: Top; let greedy: Greedy }
    struct File: Decodable { let prompts: [Prompt] }

    static let prompts: [Prompt] = {
        guard let d = try? Fixtures.data("logits_fullkv.json"), let f = try? JSONDecoder().decode(File.self, from: d) else { return [] }
        return f.prompts
    }()

    @Test("reference prompts cover 16 to 3000 tokens")
    func coverage() {
        #expect(Self.prompts.count >= 5)
        #expect(Self.prompts.map(\.input_ids.count).max() ?? 0 >= 2900)
    }

    @Test("top-20 logits and the greedy continuation", arguments: ["raw_16", "town_200", "passkey_1000", "sandwich_2000", "passkey_3000"])
    func matches(name: String) throws {
        let p = try #require(Self.prompts.first { $0.name == name })
        let model = try TestModel.get()
        let result = try Generator(model: model).generate(GenerationRequest(
            promptIDs: p.input_ids, maxNewTokens: p.greedy.max_new_tokens, stopIDs: [2], topLogits: 20))

        // Logits within 2e-3 of the reference for the reference's top 20 ids.
        let session = InferenceSession(model: model)
        let logits = try session.prefill(p.input_ids)
        for (id, ref) in zip(p.top20.ids, p.top20.logits) {
            #expect(abs(logits[Int(id)] - ref) <= 2e-3, "\(name): logit of \(id) is \(logits[Int(id)]), reference \(ref)")
        }
        // Same order wherever neighbouring reference logits differ by more than 1e-3.
        let ours = result.topLogits.map(\.id)
        for i in 0..<20 where i == 0 || p.top20.logits[i - 1] - p.top20.logits[i] > 1e-3 {
            if i + 1 < 20 && p.top20.logits[i] - p.top20.logits[i + 1] <= 1e-3 { continue }
            #expect(ours[i] == p.top20.ids[i], "\(name): rank \(i) is \(ours[i]), reference \(p.top20.ids[i])")
        }
        // Greedy continuation identical up to a step whose top-2 margin is below 1e-3.
        let firstTie = p.greedy.top1_margin.firstIndex { $0 < 1e-3 } ?? p.greedy.ids.count
        let n = min(firstTie + 1, p.greedy.ids.count)
        #expect(Array(result.tokens.prefix(n)) == Array(p.greedy.ids.prefix(n)), "\(name): greedy continuation differs")
    }

    @Test("chunked prefill equals one-chunk prefill")
    func chunking() throws {
        let model = try TestModel.get()
        let ids = try #require(Self.prompts.first { $0.name == "passkey_1000" }).input_ids
        let whole = try InferenceSession(model: model, chunkSize: 2048).prefill(ids)
        let small = try InferenceSession(model: model, chunkSize: 100).prefill(ids)
        let worst = zip(whole, small).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-3)
    }

    /// An observer that reads attention tiles sends prefill down the tiled sgemm path; without
    /// one the fused kernel runs. Both must give the same logits, on either layout.
    @Test("fused prefill attention gives the tiled path's logits", arguments: [CacheLayout.kvHead, .queryHead])
    func fusedAttention(layout: CacheLayout) throws {
        final class ReadsTiles: PrefillObserver {
            var readsAttention: Bool { true }
            var tiles = 0
            func observeAttention(layer: Int, queryHead: Int, firstPosition: Int, rows: Int,
                                  probabilities: UnsafePointer<Float>, width: Int, ld: Int) { tiles += 1 }
        }
        let model = try TestModel.get()
        let ids = try #require(Self.prompts.first { $0.name == "passkey_1000" }).input_ids
        let fused = try InferenceSession(model: model, layout: layout, chunkSize: 300).prefill(ids)
        let observer = ReadsTiles()
        let tiled = try InferenceSession(model: model, layout: layout, chunkSize: 300).prefill(ids, observers: [observer])
        #expect(observer.tiles > 0)
        let worst = zip(fused, tiled).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-3, "largest logit difference \(worst)")
    }

    @Test("kv_head and query_head layouts give the same logits; bytes follow the layout")
    func layouts() throws {
        let model = try TestModel.get()
        let ids = try #require(Self.prompts.first { $0.name == "town_200" }).input_ids
        let kv = InferenceSession(model: model, layout: .kvHead)
        let q = InferenceSession(model: model, layout: .queryHead)
        let a = try kv.prefill(ids), b = try q.prefill(ids)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 })
        let c = model.config
        #expect(kv.cache.bytes == c.layers * c.kvHeads * ids.count * c.headDim * 2 * 4)
        #expect(q.cache.bytes == kv.cache.bytes * c.groupSize)
        #expect(kv.position == ids.count)
    }

    @Test("bad token ids and empty prompts are errors")
    func badInput() throws {
        let model = try TestModel.get()
        #expect(throws: EngineError.tokenOutOfRange(id: 49152, vocabSize: 49152)) {
            try InferenceSession(model: model).prefill([1, 49152])
        }
        #expect(throws: EngineError.emptyPrompt) { try InferenceSession(model: model).prefill([]) }
    }

    @Test("stop strings cut the text; EOS ends generation")
    func stopping() throws {
        let model = try TestModel.get()
        let ids = model.tokenizer.encode("Count: 1, 2, 3, 4, 5,")
        let r = try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 20, stopStrings: [","]))
        #expect(r.stopReason == "stop_string")
        #expect(!r.text.contains(","))
        let chat = try model.requireChatTemplate().render(user: "Say hello.")
        let r2 = try Generator(model: model).generate(GenerationRequest(
            promptIDs: model.tokenizer.encode(chat, parseSpecial: true), maxNewTokens: 64))
        #expect(r2.stopReason == "eos" && r2.tokens.last == 2)
        #expect(!r2.text.contains("<|im_end|>"))
    }

    /// Issue 12 §7: the limit is 4 × the trained context, and the message says so.
    @Test("a prompt past 4 × the context is refused with the limit named")
    func promptTooLong() throws {
        let model = try TestModel.get()
        let context = model.config.contextLength
        let ids = [Int32](repeating: 1, count: 4 * context)
        #expect(throws: EngineError.promptTooLong(tokens: 4 * context + 1, limit: 4 * context, contextLength: context)) {
            try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 1))
        }
        let message = EngineError.promptTooLong(tokens: 4 * context + 1, limit: 4 * context, contextLength: context).description
        #expect(message.contains("limit of \(4 * context) (4 × the model's trained context length \(context))"))
    }
}
