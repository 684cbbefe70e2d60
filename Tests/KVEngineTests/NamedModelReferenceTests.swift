import Assets
import Foundation
import KVEngine
import PolicySpec
import Testing

/// Every named model against HF transformers (tools/gen_model_reference.py; fixtures under
/// Fixtures/reference): llama.cpp's token ids, exact mode's logits and greedy continuations
/// against transformers fp32, and fast mode held to the bf16 band: on the same prompts, int8
/// activations may be no farther from transformers fp32 than transformers bf16 is.
@Suite("Named models against transformers", .serialized)
struct NamedModelReferenceTests {
    struct Greedy: Decodable { let ids: [Int32]; let top1_margin: [Float] }
    struct Top: Decodable { let ids: [Int32]; let logits: [Float] }
    struct FP32: Decodable { let top20: Top; let greedy: Greedy }
    struct BF16: Decodable { let top20_at_fp32_ids: [Float]; let top1_id: Int32; let greedy: Greedy }
    struct Band: Decodable { let max_abs_delta_top20: Float; let top1_agree: Bool; let greedy_agree_prefix: Int }
    struct Prompt: Decodable {
        let name: String; let text: String; let parse_special: Bool; let input_ids: [Int32]
        let fp32: FP32; let bf16: BF16; let band: Band
    }
    struct Config: Decodable { let eos_ids: [Int32] }
    struct Model: Decodable { let name: String; let sha256: String }
    struct File: Decodable { let model: Model; let config: Config; let prompts: [Prompt] }

    static func fixture(_ name: String) throws -> File {
        try JSONDecoder().decode(File.self, from: try Fixtures.data("reference/\(name).json"))
    }

    /// llama.cpp on the same input ids (tools/gen_llamacpp_reference.py), against the same fp32.
    struct LlamaCppPrompt: Decodable { let name: String; let band: Band }
    struct LlamaCppFile: Decodable { let model: Model; let prompts: [LlamaCppPrompt] }

    static func llamaCpp(_ name: String) throws -> LlamaCppFile {
        try JSONDecoder().decode(LlamaCppFile.self, from: try Fixtures.data("reference/llamacpp/\(name).json"))
    }

    /// The model file, fetched by `make test-models` (scripts/fetch-model): missing is a failure
    /// naming the command, never a skip.
    static func load(_ name: String) throws -> LanguageModel {
        let named = try #require(NamedModels.named(name), "\(name) is not a named model")
        return try LanguageModel(path: try NamedModels.resolve(named.name))
    }

    /// The last prompt position's logits and the greedy continuation from them, from one prefill.
    static func run(_ model: LanguageModel, _ p: Prompt, eos: [Int32], mode: ActivationPrecision) throws -> (logits: [Float], greedy: [Int32]) {
        let before = KernelRuntime.activations
        KernelRuntime.activations = mode
        defer { KernelRuntime.activations = before }
        let session = InferenceSession(model: model)
        let logits = try session.prefill(p.input_ids)
        var greedy: [Int32] = []
        var next = session.argmaxOfLastLogits()
        for _ in 0..<p.fp32.greedy.ids.count {
            greedy.append(next)
            if eos.contains(next) { break }
            _ = try session.step(next)
            next = session.argmaxOfLastLogits()
        }
        return (logits, greedy)
    }

    /// Leading tokens two continuations share.
    static func agreeing(_ a: [Int32], _ b: [Int32]) -> Int { zip(a, b).prefix { $0 == $1 }.count }

    static let models = ["smollm2-135m-instruct", "qwen2.5-coder-0.5b-instruct", "qwen2.5-coder-1.5b-instruct"]

    @Test("llama.cpp's token ids for every reference prompt", arguments: NamedModelReferenceTests.models)
    func tokenizer(name: String) throws {
        let f = try Self.fixture(name)
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: try NamedModels.resolve(name)))
        for p in f.prompts {
            #expect(tokenizer.encode(p.text, parseSpecial: p.parse_special) == p.input_ids, "\(name) \(p.name)")
        }
    }

    @Test("exact mode: top-20 logits within 2e-3 of transformers fp32, greedy identical up to a near tie",
          arguments: NamedModelReferenceTests.models)
    func exact(name: String) throws {
        let f = try Self.fixture(name)
        let model = try Self.load(name)
        for p in f.prompts {
            let (logits, greedy) = try Self.run(model, p, eos: f.config.eos_ids, mode: .f32)
            let worst = zip(p.fp32.top20.ids, p.fp32.top20.logits).map { abs(logits[Int($0)] - $1) }.max() ?? .infinity
            #expect(worst <= 2e-3, "\(name) \(p.name): top-20 logits up to \(worst) from fp32")
            let firstTie = p.fp32.greedy.top1_margin.firstIndex { $0 < 1e-3 } ?? p.fp32.greedy.ids.count
            let n = min(firstTie + 1, p.fp32.greedy.ids.count)
            #expect(Array(greedy.prefix(n)) == Array(p.fp32.greedy.ids.prefix(n)), "\(name) \(p.name): greedy differs")
        }
    }

    /// The bf16 band, per model over its prompts: fast mode is inside when its largest top-20
    /// logit difference from fp32 is no larger than bf16's largest, it agrees on the top-1 token
    /// at least as often, and its greedy continuations agree with fp32's for at least as many
    /// leading tokens in all. Both Qwen models are held inside (measured with fast numerics
    /// 0.3.0: 0.116 vs bf16 0.166 on the 0.5B, 0.077 vs 0.146 on the 1.5B). SmolLM2 is outside on
    /// the largest difference alone (0.30 vs 0.22), from its one prompt under 16 tokens (the
    /// others prefill in fp32: Q4_1 has no int8 group kernel), where its massive activations
    /// (|x| ≈ 2,800 entering a down projection) coarsen their 32-blocks; there top-1 and greedy
    /// are held and the difference within 1.5× of bf16's (a regression guard). On every model fast
    /// mode must also be no farther from fp32 than llama.cpp itself (its int8-activation products on
    /// the same GGUF and ids: 0.20, 0.30 and 0.39 at most, all outside the bf16 band). Greedy
    /// agreement against llama.cpp's is printed, not held: it turns on near ties that move with the
    /// CPU (SmolLM2's 16-token raw prompt follows fp32 for 21 tokens on an AVX-512 Xeon and for 8,
    /// as bf16 does, on an AVX2 EPYC; llama.cpp's fixture, made on the Xeon, for 21). The verdict is printed.
    @Test("fast mode (int8 activations) against the bf16 band", arguments: NamedModelReferenceTests.models)
    func fastAgainstBF16Band(name: String) throws {
        let f = try Self.fixture(name)
        let llama = try Self.llamaCpp(name)
        #expect(llama.model.sha256 == f.model.sha256, "\(name): the llama.cpp fixture was made from another file")
        #expect(llama.prompts.map(\.name) == f.prompts.map(\.name), "\(name): the llama.cpp fixture has other prompts")
        let llamaDelta = llama.prompts.map(\.band.max_abs_delta_top20).max() ?? .infinity
        let llamaAgree = llama.prompts.map(\.band.greedy_agree_prefix).reduce(0, +)
        let model = try Self.load(name)
        var fastDelta: Float = 0, bandDelta: Float = 0
        var fastTop1 = 0, bandTop1 = 0, fastAgree = 0, bandAgree = 0
        var lines: [String] = []
        for p in f.prompts {
            let (logits, greedy) = try Self.run(model, p, eos: f.config.eos_ids, mode: .int8)
            let delta = zip(p.fp32.top20.ids, p.fp32.top20.logits).map { abs(logits[Int($0)] - $1) }.max() ?? .infinity
            let top1 = Self.pkvArgmax(logits) == p.fp32.top20.ids[0]
            let agree = Self.agreeing(greedy, p.fp32.greedy.ids)
            fastDelta = max(fastDelta, delta); bandDelta = max(bandDelta, p.band.max_abs_delta_top20)
            fastTop1 += top1 ? 1 : 0; bandTop1 += p.band.top1_agree ? 1 : 0
            fastAgree += agree; bandAgree += p.band.greedy_agree_prefix
            lines.append("\(p.name): int8 Δ \(delta) top1 \(top1) greedy \(agree) | bf16 Δ \(p.band.max_abs_delta_top20) top1 \(p.band.top1_agree) greedy \(p.band.greedy_agree_prefix)")
        }
        let summary = "int8 Δ \(fastDelta), top-1 \(fastTop1)/\(f.prompts.count), greedy \(fastAgree) | bf16 Δ \(bandDelta), top-1 \(bandTop1), greedy \(bandAgree) | llama.cpp Δ \(llamaDelta), greedy \(llamaAgree)"
        print("fast mode vs bf16 band, \(name): \(summary)\n  " + lines.joined(separator: "\n  "))
        #expect(fastTop1 >= bandTop1, "\(name): int8 agrees on top-1 less often than bf16 (\(summary))")
        #expect(fastAgree >= bandAgree, "\(name): int8 greedy agreement below bf16's (\(summary))")
        #expect(fastDelta <= llamaDelta, "\(name): int8 farther from fp32 than llama.cpp (\(summary))")
        let within = fastDelta <= bandDelta && fastTop1 >= bandTop1 && fastAgree >= bandAgree
        if Self.outsideOnLargestDelta.contains(name) {
            #expect(fastDelta <= 1.5 * bandDelta, "\(name): int8 top-20 Δ more than 1.5× bf16's (\(summary))")
        } else {
            #expect(within, "\(name): fast mode outside the bf16 band (\(summary))")
        }
        print("fast mode \(within ? "inside" : "outside") the bf16 band for \(name)")
    }

    /// Models measured outside the band on the largest logit difference only (see above).
    static let outsideOnLargestDelta: Set = ["smollm2-135m-instruct"]

    static func pkvArgmax(_ x: [Float]) -> Int32 { Int32(x.indices.max { x[$0] < x[$1] } ?? 0) }
}
