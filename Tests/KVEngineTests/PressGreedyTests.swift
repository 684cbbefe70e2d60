import Foundation
import KVEngine
import PolicySpec
import Testing

/// Whole generations under the newer presses against kvpress 0.5.5 itself
/// (tools/gen_press_greedy.py → Fixtures/press_greedy.json): the three prompts of
/// kvpress_greedy.json prefilled whole with the press hooked in, then greedy decoding from the
/// compressed cache, positions continuing after the prompt. Our TOVA, KeyDiff, ChunkKV,
/// Expected Attention and KVzip (kvpress masks its evicted keys while decoding; the same total
/// of L·H·B entries) at the same kept counts (kv_head layout, each policy's kvpress defaults)
/// must produce the same tokens up to and including the first step whose top-1 margin in
/// kvpress is under 1e-3 (beyond it float-level differences may legitimately change the pick).
/// FullKV runs as the control. CAM is not a kvpress press: its kept sets and merged values are
/// checked against KVCache-Factory in PressReferenceTests.
@Suite("Greedy continuations under the newer presses against kvpress", .serialized)
struct PressGreedyTests {
    struct Prompt: Decodable { let context_ids: [Int32]; let question_ids: [Int32] }
    struct PromptFile: Decodable { let prompts: [String: Prompt] }
    struct Run: Decodable {
        let prompt: String; let press: String; let budget: Int?; let n: Int
        let greedy_ids: [Int32]; let top1_margin: [Double]
    }
    struct File: Decodable { let runs: [Run] }

    static let policies: [String: PolicyConfig.Name] = ["TOVAPress": .tova, "KeyDiffPress": .keydiff,
                                                        "ChunkKVPress(SnapKVPress)": .chunkkv,
                                                        "ExpectedAttentionPress": .expectedAttention, "KVzipPress": .kvzip]

    @Test("the same greedy tokens as kvpress", arguments: ["passkey_1000", "sandwich_2000", "passkey_3000"])
    func greedyAgreement(prompt name: String) throws {
        let file = try JSONDecoder().decode(File.self, from: try Fixtures.data("press_greedy.json"))
        let prompts = try JSONDecoder().decode(PromptFile.self, from: try Fixtures.data("kvpress_greedy.json"))
        let p = try #require(prompts.prompts[name])
        let ids = p.context_ids + p.question_ids
        let model = try TestModel.get()
        let runs = file.runs.filter { $0.prompt == name }
        #expect(runs.count >= 6)
        for run in runs {
            #expect(run.n == ids.count)
            var policy: BudgetedPolicy?
            if run.press != "FullKV" {
                let name = try #require(Self.policies[run.press], "unknown press \(run.press)")
                policy = PolicyConfig(name: name, layout: .kvHead).budgeted(try #require(run.budget))
            }
            let r = try Generator(model: model).generate(GenerationRequest(promptIDs: ids, maxNewTokens: 24, stopIDs: [2],
                                                                           policy: policy))
            let firstTie = run.top1_margin.firstIndex { $0 < 1e-3 } ?? run.greedy_ids.count
            let n = min(firstTie + 1, run.greedy_ids.count)
            #expect(Array(r.tokens.prefix(n)) == Array(run.greedy_ids.prefix(n)),
                    "\(run.press) @\(run.budget ?? 0) on \(name): ours \(Array(r.tokens.prefix(n))) vs kvpress \(Array(run.greedy_ids.prefix(n)))")
        }
    }
}
