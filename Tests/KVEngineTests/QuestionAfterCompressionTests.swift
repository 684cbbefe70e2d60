import Foundation
import KVEngine
import PolicySpec
import Testing

/// `compressedPrefix`: the context is compressed before the question's tokens enter the cache.
@Suite(.serialized) struct QuestionAfterCompressionTests {
    static let context = String(repeating: "The harbour master logs every ship. On Tuesday the Aurora came in with salt and left with wool. ", count: 14)
    static let question = " Question: what did the Aurora leave with? Answer:"

    func ids(_ model: LanguageModel) -> (all: [Int32], split: Int) {
        let all = model.tokenizer.encode(Self.context + Self.question)
        let head = model.tokenizer.encode(Self.context)
        var split = 0
        while split < min(all.count, head.count), all[split] == head[split] { split += 1 }
        return (all, split)
    }

    @Test("the compressed cache holds the budget plus every question token; FullKV answers as with one prefill")
    func questionTokensFollowTheCompressedContext() throws {
        let model = try TestModel.get()
        let (all, split) = ids(model)
        #expect(split > 200 && all.count - split >= 8)
        let budget = 64
        let snapkv = PolicyConfig(name: .snapkv, layout: .kvHead).budgeted(budget)
        let aware = try Generator(model: model).generate(GenerationRequest(promptIDs: all, maxNewTokens: 4, stopIDs: [], policy: snapkv))
        let after = try Generator(model: model).generate(GenerationRequest(promptIDs: all, maxNewTokens: 4, stopIDs: [], policy: snapkv,
                                                                         compressedPrefix: split))
        // Same prompt tokens; the cache grows by the question's rows (K and V, f32, every layer and KV head).
        let c = model.config
        let rowBytes = c.layers * 2 * c.kvDim * MemoryLayout<Float>.size
        #expect(after.promptTokens == aware.promptTokens)
        #expect(after.kvBytes - aware.kvBytes == (all.count - split) * rowBytes)
        // Without compression the split is only a chunk boundary: the same greedy tokens.
        let whole = try Generator(model: model).generate(GenerationRequest(promptIDs: all, maxNewTokens: 8, stopIDs: [], topLogits: 5))
        let split2 = try Generator(model: model).generate(GenerationRequest(promptIDs: all, maxNewTokens: 8, stopIDs: [], topLogits: 5,
                                                                          compressedPrefix: split))
        #expect(split2.tokens == whole.tokens)
        for (a, b) in zip(split2.topLogits, whole.topLogits) { #expect(a.id == b.id && abs(a.logit - b.logit) < 1e-3) }
        // A snapshot of the context serves the split request (the worker's shared prefill).
        let snapshot = try KVCompression.snapshot(model: model, ids: Array(all[..<split]), window: 8, columnSums: true)
        let shared = try Generator(model: model).generate(GenerationRequest(promptIDs: all, maxNewTokens: 4, stopIDs: [], policy: snapkv,
                                                                          compressedPrefix: split), from: snapshot)
        #expect(shared.tokens == after.tokens && shared.kvBytes == after.kvBytes)
    }

    @Test("a split that leaves no context or no question is refused")
    func badSplitsAreRefused() throws {
        let model = try TestModel.get()
        let (all, _) = ids(model)
        for split in [0, all.count, all.count + 3] {
            #expect(throws: EngineError.self) {
                try Generator(model: model).generate(GenerationRequest(promptIDs: all, maxNewTokens: 1, compressedPrefix: split))
            }
        }
    }
}
