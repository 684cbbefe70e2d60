import Foundation
import KVEngine
import PolicySpec
import Testing

/// Greedy continuations against kvpress 0.5.5 (../shared/reference/vectors/kvpress_greedy.json):
/// "whole_prompt" mode (the whole prompt prefilled with the press hooked in, the paper's protocol)
/// and kvpress's own "context_only" mode (the context compressed, then the question prefilled into
/// the compressed cache: our `compressedPrefix`, `--question after-compression`).
/// Where kvpress implements the same selection, our policy with kvpress's parameters must
/// continue identically:
/// - StreamingLLMPress (n_sink 4): keeps 4 sinks + the last n_kept − 4 = our `streamingllm`
///   at budget n_kept.
/// - SnapKVPress (window 64, avg-pool kernel 5, window-mean scores, mean over the KV group
///   after pooling, window keys kept first): = our `snapkv` with window 64, kernel 5, avg pool,
///   `kv_head` layout. The mean vs our sum over window rows is a constant factor, and averaging
///   over the group before or after a linear avg-pool is the same, so top-k sets agree.
///   Budgets ≤ 64 (ratio 0.97) are skipped: kvpress then picks among tied window keys by
///   torch.topk's tie order, which no other implementation reproduces.
/// KnormPress differs on purpose: it compresses every layer, while KVCache-Factory's L2Norm
/// (our `l2norm`) keeps layers 0 and 1 whole. PyramidKVPress uses float arithmetic with
/// rounding and window 64 where KVCache-Factory uses integer arithmetic (our `pyramidkv`).
@Suite("Greedy continuations against kvpress", .serialized)
struct KvpressAgreementTests {
    struct Prompt: Decodable { let context_ids: [Int32]; let question_ids: [Int32] }
    struct Run: Decodable {
        let prompt: String; let mode: String; let press: String; let compression_ratio: Double
        let greedy_ids: [Int32]; let top1_margin: [Double]; let kept_per_layer: [Int]
    }
    struct File: Decodable { let prompts: [String: Prompt]; let runs: [Run] }

    static let file: File? = {
        guard let d = try? Fixtures.data("kvpress_greedy.json") else { return nil }
        return try? JSONDecoder().decode(File.self, from: d)
    }()

    static func config(for run: Run) -> BudgetedPolicy? {
        let budget = run.kept_per_layer[0]
        switch run.press {
        case "StreamingLLMPress": return PolicyConfig(name: .streamingllm, layout: .kvHead).budgeted(budget)
        case "SnapKVPress" where budget > 64:
            return PolicyConfig(name: .snapkv, window: 64, kernel: 5, pooling: .avg, layout: .kvHead).budgeted(budget)
        default: return nil
        }
    }

    @Test("StreamingLLMPress and SnapKVPress, whole-prompt mode", arguments: ["passkey_1000", "sandwich_2000", "passkey_3000"])
    func agreement(prompt name: String) throws {
        try compare(prompt: name, mode: "whole_prompt")
    }

    @Test("StreamingLLMPress and SnapKVPress, question after compression (kvpress's own mode)",
          arguments: ["passkey_1000", "sandwich_2000", "passkey_3000"])
    func questionAfterCompression(prompt name: String) throws {
        try compare(prompt: name, mode: "context_only")
    }

    func compare(prompt name: String, mode: String) throws {
        let file = try #require(Self.file)
        let p = try #require(file.prompts[name])
        let ids = p.context_ids + p.question_ids
        // context_only: only the context is compressed; the question's tokens all enter afterwards.
        let split: Int? = mode == "context_only" ? p.context_ids.count : nil
        let model = try TestModel.get()
        // Ratio 0.9 everywhere and 0.5 on the shortest prompt keep the debug-build run short.
        let runs = file.runs.filter {
            $0.prompt == name && $0.mode == mode
                && ($0.compression_ratio == 0.9 || (name == "passkey_1000" && $0.compression_ratio == 0.5))
        }
        var compared = 0
        for run in runs {
            guard let config = Self.config(for: run) else { continue }
            let r = try Generator(model: model).generate(GenerationRequest(
                promptIDs: ids, maxNewTokens: 32, stopIDs: [2], policy: config, compressedPrefix: split))
            let firstTie = run.top1_margin.firstIndex { $0 < 1e-3 } ?? run.greedy_ids.count
            let n = min(firstTie + 1, run.greedy_ids.count)
            #expect(Array(r.tokens.prefix(n)) == Array(run.greedy_ids.prefix(n)),
                    "\(run.press) ratio \(run.compression_ratio) on \(name) (\(mode)): ours \(r.tokens.prefix(n)) vs kvpress \(run.greedy_ids.prefix(n))")
            compared += 1
        }
        #expect(compared >= 2)
    }
}
