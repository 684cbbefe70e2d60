import FleetCore
import Foundation
import KVEngine
import PolicySpec
import TaskSpec
import Testing

/// Issue 12: one policy vocabulary (PolicySpec's `PolicyConfig`) and one window rule from CLI to
/// wire to engine. These fail if a second spelling of the vocabulary comes back.
@Suite struct PolicyVocabularyTests {
    func decodeSpec(_ edit: (inout [String: Any]) -> Void) throws(WireDecodingError) -> ExperimentSpec {
        var object = try! JSONSerialization.jsonObject(with: try! WireJSON.encoder().encode(needleSpec(policies: [.snapkv])))
            as! [String: Any]
        var policy = (object["policies"] as! [[String: Any]])[0]
        edit(&policy)
        object["policies"] = [policy]
        return try StrictJSONDecoder.decode(ExperimentSpec.self, from: try! JSONSerialization.data(withJSONObject: object))
    }

    /// Unknown names, presets, poolings and layouts are refused when a spec is decoded (the
    /// submit path), with the field and the known values named.
    @Test func decodingRefusesUnknownVocabularyNamingFieldAndKnownValues() {
        #expect(throws: WireDecodingError.invalidValue(
            field: "policies[0].name",
            reason: "unknown policy 'snapk'; known: fullkv, streamingllm, h2o, snapkv, pyramidkv, adakv, l2norm, tova, keydiff, chunkkv, expected_attention, cam, kvzip")) {
            try decodeSpec { $0["name"] = "snapk" }
        }
        #expect(throws: WireDecodingError.invalidValue(field: "policies[0].preset",
                                                       reason: "unknown preset 'paper'; known: default, paper2024")) {
            try decodeSpec { $0["preset"] = "paper" }
        }
        #expect(throws: WireDecodingError.invalidValue(field: "policies[0].pooling",
                                                       reason: "unknown pooling 'min'; known: max, avg")) {
            try decodeSpec { $0["pooling"] = "min" }
        }
        #expect(throws: WireDecodingError.invalidValue(field: "policies[0].layout",
                                                       reason: "unknown layout 'kv'; known: query_head, kv_head")) {
            try decodeSpec { $0["layout"] = "kv" }
        }
        // The message the coordinator answers with (and `submit` prints).
        #expect(WireDecodingError.invalidValue(field: "spec.policies[0].name", reason: "unknown policy 'snapk'; known: x")
            .description == "spec.policies[0].name: unknown policy 'snapk'; known: x")
    }

    /// `"preset": "default"` is accepted, re-encodes as it came (so the strict decoder's
    /// unknown-key check passes and experiment ids keep their bytes), and shares the job key of
    /// no preset.
    @Test func defaultPresetAndNoPresetShareAJobKey() throws {
        let spelled = try decodeSpec { $0["preset"] = "default" }
        #expect(spelled.policies[0].preset == .default)
        #expect(String(decoding: try WireJSON.canonicalData(spelled.policies[0]), as: UTF8.self).contains(#""preset":"default""#))
        let a = try ExperimentExpansion.expand(needleSpec(policies: [.snapkv]), samples: []).jobs.map(\.key)
        let b = try ExperimentExpansion.expand(spelled, samples: []).jobs.map(\.key)
        #expect(a == b)
    }

    /// FullKV jobs record the layout they run (kv_head), and parameters it does not use are dropped.
    @Test func fullKVJobsRecordTheLayoutTheyRun() throws {
        var spec = needleSpec(policies: [.fullkv])
        spec.policies[0].window = 32
        spec.policies[0].layout = .queryHead
        let job = try #require(try ExperimentExpansion.expand(spec, samples: []).jobs.first)
        #expect(job.spec.policy == PolicyConfig(name: .fullkv, layout: .kvHead))
        #expect(try job.spec.budgetedPolicy() == nil)  // the whole cache, in the KV-head layout the worker runs
    }

    /// Submit checks every policy × budget with the rule the engine applies (`validate`), so a
    /// job the engine would refuse is refused at the door, naming the field.
    @Test func submitRefusesWhatTheEngineWouldRefuse() throws {
        #expect(throws: ExperimentSpecError(field: "spec.budgets[0]",
                                            reason: "must exceed the window (8) for snapkv, got 8")) {
            try ExperimentExpansion.expand(needleSpec(policies: [.snapkv], budgets: [8, 64]), samples: [])
        }
        var spec = needleSpec(policies: [.fullkv, .pyramidkv], budgets: [64])
        spec.policies[1].kernel = 6
        #expect(throws: ExperimentSpecError(field: "spec.policies[1].kernel", reason: "must be an odd number ≥ 1, got 6")) {
            try ExperimentExpansion.expand(spec, samples: [])
        }
        // FullKV takes any budget: it keeps the whole cache.
        _ = try ExperimentExpansion.expand(needleSpec(policies: [.fullkv], budgets: [4]), samples: [])
    }

    /// No window on the wire means the preset's, resolved by the engine exactly as `generate`
    /// resolves it; an explicit window is honoured by every policy, StreamingLLM included.
    @Test func oneWindowRuleForFleetAndEngine() throws {
        func job(_ name: PolicyConfig.Name, window: Int? = nil, preset: PolicyConfig.Preset? = nil,
                 budget: Int = 128) throws -> BudgetedPolicy {
            var spec = try #require(try ExperimentExpansion.expand(needleSpec(policies: [name], budgets: [budget]),
                                                                   samples: []).jobs.first).spec
            spec.policy.window = window
            spec.policy.preset = preset
            return try #require(try spec.budgetedPolicy())
        }
        #expect(try job(.snapkv, preset: .paper2024).effectiveWindow == 32)
        #expect(try job(.h2o, preset: .paper2024).effectiveWindow == 32)
        #expect(try job(.snapkv).effectiveWindow == 8)
        #expect(try job(.pyramidkv, preset: .paper2024).effectiveWindow == 8)
        #expect(try job(.streamingllm).window == nil)          // 4 sinks + B − 4 recent
        #expect(try job(.streamingllm, window: 16).window == 16)
        #expect(try job(.snapkv, window: 16, preset: .paper2024).effectiveWindow == 16)
        // The engine's policies capture exactly the window the job's policy resolves.
        for name in [PolicyConfig.Name.snapkv, .pyramidkv, .h2o, .adakv] {
            for preset in [nil, PolicyConfig.Preset.paper2024] {
                let policy = try job(name, preset: preset)
                #expect(try #require(try KVPolicies.make(policy)).captureWindow == policy.effectiveWindow)
            }
        }
    }

    /// The API document lists the same vocabulary as the code (one spelling of every name).
    @Test func openAPIPolicyEnumsAreTheVocabulary() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema/openapi.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let policy = try #require(text.range(of: "\n    Policy:\n")).upperBound
        let section = text[policy...].split(separator: "\n").prefix(12)
        func documented(_ field: String) -> String? {
            guard let line = section.first(where: { $0.hasPrefix("        \(field): ") }),
                  let open = line.range(of: "enum: ["), let close = line[open.upperBound...].firstIndex(of: "]") else { return nil }
            return String(line[open.upperBound..<close])
        }
        #expect(documented("name") == PolicyConfig.Name.knownValues)
        #expect(documented("pooling") == Pooling.knownValues)
        #expect(documented("layout") == CacheLayout.knownValues)
        #expect(documented("preset") == PolicyConfig.Preset.knownValues)
        // The numerics mode, wherever a spec carries it.
        let modes = text.split(separator: "\n").filter { $0.hasPrefix("        activations: ") }
        #expect(modes.count == 2)
        for line in modes { #expect(line.contains("enum: [\(ActivationPrecision.knownValues)]"), "\(line)") }
        // The question timing, likewise.
        let timings = text.split(separator: "\n").filter { $0.hasPrefix("        question: {type: string, enum") }
        #expect(timings.count == 2)
        let known = QuestionTiming.allCases.map(\.rawValue).joined(separator: ", ")
        for line in timings { #expect(line.contains("enum: [\(known)]"), "\(line)") }
    }
}
