import FleetCore
import Foundation
import KVEngine
import Testing
@testable import Worker

/// Issue 12 defects 1–4: one policy vocabulary and one window rule from CLI to wire to engine.
@Suite struct PolicyVocabularyTests {
    @Test func fleetNamesAndPresetsAreTheEngines() {
        #expect(FleetCore.PolicyConfig.names == KVEngine.PolicyConfig.Name.allCases.map(\.rawValue))
        #expect(FleetCore.PolicyConfig.presets == KVEngine.PolicyConfig.Preset.allCases.map(\.rawValue))
    }

    /// Unknown names and presets are refused at submit with the field named, not on every worker.
    @Test func submitRefusesUnknownPoliciesAndPresets() {
        var spec = needleSpec(policies: ["snapk"])
        #expect(throws: ExperimentSpecError(field: "spec.policies[0].name",
                                            reason: "unknown policy 'snapk'; known: fullkv, streamingllm, h2o, snapkv, pyramidkv, adakv, l2norm")) {
            try ExperimentExpansion.expand(spec, samples: [])
        }
        spec = needleSpec(policies: ["snapkv"])
        spec.policies[0].preset = "paper"
        #expect(throws: ExperimentSpecError(field: "spec.policies[0].preset",
                                            reason: "unknown preset 'paper'; known: default, paper2024")) {
            try ExperimentExpansion.expand(spec, samples: [])
        }
    }

    /// `preset: nil` and "default" are the same work, so one job key.
    @Test func defaultPresetAndNoPresetShareAJobKey() throws {
        var spelled = needleSpec(policies: ["snapkv"])
        spelled.policies[0].preset = "default"
        let a = try ExperimentExpansion.expand(needleSpec(policies: ["snapkv"]), samples: []).jobs.map(\.key)
        let b = try ExperimentExpansion.expand(spelled, samples: []).jobs.map(\.key)
        #expect(a == b)
    }

    /// FullKV jobs record the layout they run (kv_head), and parameters it does not use are dropped.
    @Test func fullKVJobsRecordTheLayoutTheyRun() throws {
        var spec = needleSpec(policies: ["fullkv"])
        spec.policies[0].window = 32
        spec.policies[0].layout = .queryHead
        let job = try #require(try ExperimentExpansion.expand(spec, samples: []).jobs.first)
        #expect(job.spec.policy == FleetCore.PolicyConfig(name: "fullkv", layout: .kvHead))
        let prompter = try WirePolicyConversion.enginePolicy(job.spec.policy, budget: job.spec.budget)
        #expect(prompter == nil)  // the whole cache, in the KV-head layout the worker runs
    }

    /// No window on the wire means the preset's, resolved by the engine exactly as `generate`
    /// resolves it; an explicit window is honoured by every policy, StreamingLLM included.
    @Test func oneWindowRuleForFleetAndCLI() throws {
        func engine(_ name: String, window: Int? = nil, preset: String? = nil, budget: Int = 128) throws -> KVEngine.PolicyConfig {
            try #require(try WirePolicyConversion.enginePolicy(FleetCore.PolicyConfig(name: name, window: window, preset: preset),
                                                         budget: budget))
        }
        #expect(try engine("snapkv", preset: "paper2024").effectiveWindow == 32)
        #expect(try engine("h2o", preset: "paper2024").effectiveWindow == 32)
        #expect(try engine("snapkv").effectiveWindow == 8)
        #expect(try engine("pyramidkv", preset: "paper2024").effectiveWindow == 8)
        #expect(try engine("streamingllm").window == nil)          // 4 sinks + B − 4 recent
        #expect(try engine("streamingllm", window: 16).window == 16)
        #expect(try engine("snapkv", window: 16, preset: "paper2024").effectiveWindow == 16)
    }
}
