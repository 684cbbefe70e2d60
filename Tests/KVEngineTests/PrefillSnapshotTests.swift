import Foundation
import KVEngine
import PolicySpec
import Testing

/// A shared prefill gives what a policy's own prefill gives: same tokens, same cache, the same
/// logits (bit for bit where both attention paths sum alike; see below).
@Suite(.serialized) struct PrefillSnapshotTests {
    static let text = String(repeating: "The harbour master logs every ship. On Tuesday the Aurora came in with salt and left with wool. ", count: 14)
        + "Question: what did the Aurora leave with? Answer:"

    @Test("every policy and layout from one snapshot equals its own prefill")
    func sharedPrefillIsExact() throws {
        let model = try TestModel.get()
        let ids = model.tokenizer.encode(Self.text)
        #expect(ids.count > 200)
        // The worker's snapshot: the default window with every statistic; ChunkKV's 64-row window gets its own.
        let snapshot = try KVCompression.snapshot(model: model, ids: ids, window: 8, columnSums: true, queryStatistics: true)
        let chunkSnapshot = try KVCompression.snapshot(model: model, ids: ids, window: 64, columnSums: true, queryStatistics: true)
        #expect(snapshot.bytes > 0)
        for name in PolicyConfig.Name.allCases {
            for layout in CacheLayout.allCases {
                let policy = name == .fullkv ? nil : PolicyConfig(name: name, layout: layout).budgeted(name == .chunkkv ? 128 : 64)
                let snapshot = name == .chunkkv ? chunkSnapshot : snapshot
                #expect(try snapshot.serves(policy), "\(name.rawValue)")
                let request = GenerationRequest(promptIDs: ids, maxNewTokens: 6, stopIDs: [], topLogits: 5, policy: policy, layout: layout)
                let direct = try Generator(model: model).generate(request)
                let shared = try Generator(model: model).generate(request, from: snapshot)
                let label = "\(name.rawValue) \(layout.rawValue)"
                #expect(shared.tokens == direct.tokens, "\(label)")
                #expect(shared.kvBytes == direct.kvBytes, "\(label)")
                // The snapshot holds H2O's column sums, so its attention took the BLAS (tiled) path;
                // a policy run alone takes the fused kernel unless it reads attention. On AVX-512
                // hosts the two give the same bits (measured: Xeon, OpenBLAS SkylakeX); the AVX2
                // kernel sums in another order than OpenBLAS's Haswell/Zen sgemm (measured: EPYC
                // Zen 3, 3–9e-6 apart on logits near 16), so there the logits agree to rounding.
                #expect(shared.topLogits.map(\.id) == direct.topLogits.map(\.id), "\(label)")
                if KernelRuntime.variant == .avx512 {
                    #expect(shared.topLogits == direct.topLogits, "\(label)")
                } else {
                    let gap = zip(shared.topLogits, direct.topLogits).map { abs($0.logit - $1.logit) }.max() ?? 0
                    #expect(gap <= 1e-4, "\(label): shared and direct logits \(gap) apart")
                }
            }
        }
    }

    @Test("a snapshot refuses a policy whose evidence it does not hold, and another prompt")
    func mismatchesAreRefused() throws {
        let model = try TestModel.get()
        let ids = model.tokenizer.encode(Self.text)
        let snapshot = try KVCompression.snapshot(model: model, ids: ids, window: 8, columnSums: false)
        let paper = PolicyConfig(name: .snapkv, preset: .paper2024).budgeted(64)  // window 32
        #expect(try snapshot.serves(paper) == false)
        #expect(try snapshot.serves(PolicyConfig(name: .h2o).budgeted(64)) == false)  // no column sums
        #expect(try snapshot.serves(PolicyConfig(name: .streamingllm).budgeted(64)))
        #expect(throws: EngineError.self) {
            try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 1, policy: paper), from: snapshot)
        }
        #expect(throws: EngineError.self) {
            try Generator(model: model).generate(GenerationRequest(promptIDs: Array(ids.dropLast()), maxNewTokens: 1),
                                                 from: snapshot)
        }
    }
}
