import Foundation
import KVEngine
import PolicySpec
import Testing

/// Kept positions against the reference code itself (tools/gen_press_reference.py: kvpress 0.5.5
/// presses hooked into transformers' fp32 forward), kv_head layout, on two models: the default
/// one (press_reference.json: 3 essay prompts × budgets 64/128/256) and the tiny random qwen2 of
/// Fixtures/tiny (press_reference_tiny_qwen2.json: q/k/v biases, rope theta 1e6, 4/2 heads of 16;
/// 3 random-token prompts × budgets 80/112/160). Per case ≥ 99 % of the
/// reference's kept positions; per layer and KV head ≥ 99 % too, except where the reference's
/// own boundary scores are within 1e-4 (relative) of each other, where float-level differences
/// may swap a boundary token (≥ 90 % there; KeyDiff's scores are nearly tied in many layers).
@Suite("Presses against kvpress", .serialized)
struct PressReferenceTests {
    struct Prompt: Decodable { let n: Int; let ids: [Int32] }
    struct Case: Decodable {
        let method: String; let prompt: String; let budget: Int; let layout: String
        let kept_counts: [[Int]]; let layers: [[String]]; let min_rel_gap: [Double]?
    }
    struct CAMValues: Decodable {
        let prompt: String; let layout: String; let layer: Int; let rows: [Int]
        let delta_abs_sum: [Double]; let delta_rows: [[[Double]]]
    }
    struct File: Decodable { let prompts: [String: Prompt]; let cases: [Case]; let cam_values_data: [CAMValues] }

    static let files: [String: File] = {
        var files: [String: File] = [:]
        for (model, name) in fixtures {
            if let d = try? Fixtures.data(name), let f = try? JSONDecoder().decode(File.self, from: d) { files[model] = f }
        }
        return files
    }()
    static let fixtures = ["smollm2": "press_reference.json", "tiny-qwen2": "press_reference_tiny_qwen2.json"]
    static let models = ["smollm2", "tiny-qwen2"]

    static func fixture(_ model: String) throws -> File {
        try #require(files[model], "\(fixtures[model] ?? model) fixture missing (python3 tools/gen_press_reference.py)")
    }

    static func load(_ model: String) throws -> LanguageModel {
        guard model == "tiny-qwen2" else { return try TestModel.get() }
        let url = try #require(Bundle.module.url(forResource: "qwen2", withExtension: "gguf", subdirectory: "Fixtures/tiny"),
                               "Fixtures/tiny/qwen2.gguf missing (python3 tools/gen_tiny_models.py)")
        return try LanguageModel(path: url.path)
    }

    static let methods: [String: PolicyConfig.Name] = ["TOVAPress": .tova, "KeyDiffPress": .keydiff,
                                                       "ChunkKVPress(SnapKVPress)": .chunkkv,
                                                       "ExpectedAttentionPress": .expectedAttention]

    @Test("kept positions agree with kvpress",
          arguments: ["TOVAPress", "KeyDiffPress", "ChunkKVPress(SnapKVPress)", "ExpectedAttentionPress"], models)
    func agreement(method: String, modelName: String) throws {
        let file = try Self.fixture(modelName)
        let name = try #require(Self.methods[method])
        let model = try Self.load(modelName)
        let cases = file.cases.filter { $0.method == method && $0.layout == "kv_head" }
        #expect(cases.count == 9)
        var evidence: [String: (InferenceSession, PrefillEvidence)] = [:]
        for c in cases {
            let prompt = try #require(file.prompts[c.prompt])
            let policy = try #require(try KVPolicies.make(PolicyConfig(name: name, layout: .kvHead).budgeted(c.budget)))
            if evidence[c.prompt] == nil || evidence[c.prompt]!.1.window != policy.captureWindow {
                let session = InferenceSession(model: model, layout: .kvHead)
                let (_, e) = try KVCompression.prefill(session: session, ids: prompt.ids, window: policy.captureWindow,
                                                       columnSums: false, queryStatistics: true)
                evidence[c.prompt] = (session, e)
            }
            let (session, e) = evidence[c.prompt]!
            let ours = KVCompression.selections(policy, session: session, evidence: e)
            var same = 0, total = 0
            let label = "\(modelName) \(method) \(c.prompt) @\(c.budget)"
            for (l, heads) in c.layers.enumerated() {
                let tied = (c.min_rel_gap?[l] ?? 1) < 1e-4
                for (h, hex) in heads.enumerated() {
                    let reference = PolicyReferenceTests.positions(hex: hex, n: prompt.n)
                    let got = Set(ours[l].kept[h])
                    #expect(got.count == c.kept_counts[l][h], "\(label) layer \(l) head \(h): kept \(got.count) vs \(c.kept_counts[l][h])")
                    let agree = got.intersection(reference).count
                    same += agree
                    total += reference.count
                    let rate = Double(agree) / Double(max(1, reference.count))
                    #expect(rate >= (tied ? 0.90 : 0.99), "\(label) layer \(l) head \(h): \(rate) (boundary gap \(c.min_rel_gap?[l] ?? 1))")
                }
            }
            #expect(Double(same) / Double(total) >= 0.99, "\(label): \(Double(same) / Double(total))")
        }
    }

    /// CAM against KVCache-Factory's `CAMKVCluster` (its Bernoulli merge replaced by the
    /// expectation on both sides): kept positions in both layouts, and the merged values.
    @Test("CAM: kept positions and merged values agree with KVCache-Factory", arguments: ["query_head", "kv_head"], models)
    func cam(layoutName: String, modelName: String) throws {
        let file = try Self.fixture(modelName)
        let layout = try #require(CacheLayout(rawValue: layoutName))
        let model = try Self.load(modelName)
        for (promptName, prompt) in file.prompts.sorted(by: { $0.key < $1.key }) {
            // Kept positions do not depend on the merge, so one prefill serves the three budgets.
            let session = InferenceSession(model: model, layout: layout)
            let (_, e) = try KVCompression.prefill(session: session, ids: prompt.ids, window: 8, columnSums: false)
            let values = file.cam_values_data.filter { $0.prompt == promptName && $0.layout == layoutName }
            #expect(values.count == min(3, model.config.layers))
            // The merge, once, on the layers the fixture holds values for: delta = merged − original.
            for v in values {
                let streams = session.cache.layers[v.layer]
                let original = streams.map { Array(UnsafeBufferPointer(start: $0.values, count: $0.count * $0.dim)) }
                let policy = try #require(try KVPolicies.make(PolicyConfig(name: .cam, layout: layout).budgeted(64)))
                _ = KVCompression.select(policy, layer: v.layer, session: session, evidence: e)
                for (s, stream) in streams.enumerated() {
                    let d = stream.dim
                    var absSum = 0.0
                    for i in 0..<(stream.count * d) { absSum += Double(abs(stream.values[i] - original[s][i])) }
                    #expect(abs(absSum - v.delta_abs_sum[s]) <= 1e-3 * v.delta_abs_sum[s] + 1e-4,
                            "\(modelName) \(promptName) \(layoutName) layer \(v.layer) stream \(s): Σ|Δ| \(absSum) vs \(v.delta_abs_sum[s])")
                    for (r, row) in v.rows.enumerated() {
                        for k in 0..<d {
                            let got = Double(stream.values[row * d + k] - original[s][row * d + k])
                            let want = v.delta_rows[s][r][k]
                            #expect(abs(got - want) <= 1e-4 + 1e-3 * abs(want),
                                    "\(modelName) \(promptName) \(layoutName) layer \(v.layer) stream \(s) row \(row) dim \(k): \(got) vs \(want)")
                        }
                    }
                }
            }
            for c in file.cases where c.method == "CAM" && c.layout == layoutName && c.prompt == promptName {
                let policy = try #require(try KVPolicies.make(PolicyConfig(name: .cam, layout: layout).budgeted(c.budget)))
                var same = 0, total = 0
                for (l, heads) in c.layers.enumerated() {
                    let ours = KVCompression.select(policy, layer: l, session: session, evidence: e)
                    for (h, hex) in heads.enumerated() {
                        let reference = PolicyReferenceTests.positions(hex: hex, n: prompt.n)
                        let got = Set(ours.kept[h])
                        #expect(got.count == reference.count)
                        same += got.intersection(reference).count
                        total += reference.count
                        let rate = Double(got.intersection(reference).count) / Double(max(1, reference.count))
                        #expect(rate >= 0.95, "CAM \(modelName) \(promptName) @\(c.budget) \(layoutName) layer \(l) stream \(h): \(rate)")
                    }
                }
                #expect(Double(same) / Double(total) >= 0.99, "CAM \(modelName) \(promptName) @\(c.budget) \(layoutName)")
            }
        }
    }
}
