import Foundation
import KVEngine
import PolicySpec
import Testing
@testable import Worker
import Assets

/// The worker's prefill reuse: later jobs on a sample share the first job's prefill, the
/// cache stays within its bytes, and results equal an unshared run.
@Suite(.serialized)
struct PrefillCacheTests {
    init() throws { try FleetAssets.requireModel() }

    @Test func laterPoliciesShareThePrefillAndGetTheSameAnswer() throws {
        let model = try LanguageModel(path: DefaultAssets.modelPath)
        let prompts = (0..<3).map { i in
            model.tokenizer.encode(String(repeating: "Ship \(i) carried salt north and wool south. ", count: 20) + "What did it carry?")
        }
        // Sized as the cache takes its snapshots: column sums and query statistics included.
        let one = try KVCompression.snapshot(model: model, ids: prompts[0], window: 8, columnSums: true,
                                             queryStatistics: true).bytes
        let cache = PrefillCache(capacityBytes: 2 * one + one / 2)  // room for two
        let snap = PolicyConfig(name: .snapkv).budgeted(64)
        func run(_ ids: [Int32], _ policy: BudgetedPolicy?) throws -> (GenerationResult, shared: Bool) {
            try cache.generate(model: model, sha256: "m", request: GenerationRequest(promptIDs: ids, maxNewTokens: 4, policy: policy))
        }
        let (first, firstShared) = try run(prompts[0], nil)
        #expect(!firstShared && cache.count == 1)
        let (second, secondShared) = try run(prompts[0], snap)
        #expect(secondShared)
        #expect(second.tokens == (try Generator(model: model).generate(GenerationRequest(promptIDs: prompts[0], maxNewTokens: 4,
                                                                                            policy: snap))).tokens)
        #expect(first.tokens == (try Generator(model: model).generate(GenerationRequest(promptIDs: prompts[0], maxNewTokens: 4))).tokens)
        // paper2024 SnapKV needs window 32: a second snapshot of the same prompt.
        _ = try run(prompts[0], PolicyConfig(name: .snapkv, preset: .paper2024).budgeted(64))
        #expect(cache.count == 2)
        // A third prompt evicts the least recently used; the cache stays within its bytes.
        _ = try run(prompts[1], nil)
        #expect(cache.count == 2 && cache.bytes <= cache.capacityBytes)
        #expect(try run(prompts[1], snap).shared)
        // Another model's snapshot is never used.
        #expect(cache.lookup(model: "other", request: GenerationRequest(promptIDs: prompts[1])) == nil)
        // Off: nothing kept.
        let off = PrefillCache(capacityBytes: 0)
        #expect(try off.generate(model: model, sha256: "m", request: GenerationRequest(promptIDs: prompts[2], maxNewTokens: 1)).shared == false)
        #expect(off.count == 0)
    }
}
