import Foundation
import KVEngine
import PolicySpec
import Testing

/// Every registered architecture against transformers fp32, on tiny random models that
/// tools/gen_tiny_models.py writes as F32 GGUFs (Fixtures/tiny): a prefill (sgemm path), a
/// short prefill (row-by-row path) and teacher-forced decode steps must give transformers'
/// logits at the recorded positions.
@Suite("Model architectures against transformers (tiny random models)")
struct ArchitectureTests {
    struct Reference: Decodable {
        let architecture: String
        let input_ids: [Int32]
        let prefill: Int
        let positions: [Int]
        let logits: [[Float]]

        func logits(at position: Int) throws -> [Float] {
            let i = try #require(positions.firstIndex(of: position), "no reference logits at position \(position)")
            return logits[i]
        }
    }

    static func load(_ arch: String) throws -> (LanguageModel, Reference) {
        let url = try #require(Bundle.module.url(forResource: arch, withExtension: "gguf", subdirectory: "Fixtures/tiny"),
                               "Fixtures/tiny/\(arch).gguf missing (python3 tools/gen_tiny_models.py)")
        let reference = try JSONDecoder().decode(Reference.self, from: try Fixtures.data("tiny/\(arch).logits.json"))
        return (try LanguageModel(path: url.path), reference)
    }

    /// Largest |ours − reference| over the vocabulary.
    static func maxError(_ ours: [Float], _ reference: [Float]) -> Float {
        zip(ours, reference).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test("the registry knows llama, qwen2 and qwen3")
    func registry() throws {
        #expect(ModelArchitectures.names == ["llama", "qwen2", "qwen3"])
        #expect(throws: GGUFError.self) { try ModelArchitectures.named("gemma", file: "x.gguf") }
        do {
            _ = try ModelArchitectures.named("gemma", file: "x.gguf")
        } catch {
            #expect("\(error)".contains("general.architecture") && "\(error)".contains("qwen3"), "\(error)")
        }
    }

    @Test("each tiny model is loaded as its architecture", arguments: ["llama", "qwen2", "qwen3"])
    func loadsAs(arch: String) throws {
        let (model, reference) = try Self.load(arch)
        #expect(model.architecture.name == reference.architecture)
        let layer = try #require(model.weights.layers.first)
        #expect((layer.qkvBias != nil) == (arch == "qwen2"))
        #expect((layer.queryNorm != nil) == (arch == "qwen3"))
        #expect(model.config.headDim == (arch == "qwen3" ? 32 : 16))
    }

    @Test("prefill and decode logits match transformers fp32", arguments: ["llama", "qwen2", "qwen3"])
    func logits(arch: String) throws {
        let (model, reference) = try Self.load(arch)
        let ids = reference.input_ids, n = reference.prefill
        let session = InferenceSession(model: model)
        let prefilled = try session.prefill(Array(ids.prefix(n)))
        #expect(Self.maxError(prefilled, try reference.logits(at: n - 1)) <= 3e-5, "\(arch): prefill of \(n)")
        for p in n..<ids.count {
            let stepped = try session.step(ids[p])
            #expect(Self.maxError(stepped, try reference.logits(at: p)) <= 3e-5, "\(arch): decode at position \(p)")
        }
        let short = try InferenceSession(model: model).prefill(Array(ids.prefix(8)))
        #expect(Self.maxError(short, try reference.logits(at: 7)) <= 3e-5, "\(arch): prefill of 8 (row by row)")
    }

    @Test("f16 KV cache stays close on every architecture", arguments: ["llama", "qwen2", "qwen3"])
    func halfCache(arch: String) throws {
        let (model, reference) = try Self.load(arch)
        let ids = reference.input_ids, n = reference.prefill
        let session = InferenceSession(model: model, kvDType: .f16)
        _ = try session.prefill(Array(ids.prefix(n)))
        let stepped = try session.step(ids[n])
        #expect(Self.maxError(stepped, try reference.logits(at: n)) <= 2e-2, "\(arch): f16 decode at position \(n)")
    }

    @Test("a policy compresses a qwen cache and decoding goes on", arguments: ["qwen2", "qwen3"])
    func compression(arch: String) throws {
        let (model, reference) = try Self.load(arch)
        let ids = Array(reference.input_ids.prefix(reference.prefill))
        let policy = try #require(try KVPolicies.make(PolicyConfig(name: .snapkv).budgeted(24)))
        let session = InferenceSession(model: model)
        let (_, selections) = try KVCompression.prefillAndCompress(session: session, ids: ids, policy: policy)
        #expect(selections.count == model.config.layers)
        #expect(session.cache.layers.allSatisfy { $0.allSatisfy { $0.count == 24 } })
        let next = try session.step(reference.input_ids[reference.prefill])
        #expect(next.allSatisfy { $0.isFinite })
    }
}
