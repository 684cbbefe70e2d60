@testable import FleetCore
import Foundation
import PolicySpec
import Testing

let modelHash = String(repeating: "ab", count: 32)

func needleSpec(lengths: [Int] = [1000, 2000], depths: [Int] = [0, 50, 100],
                policies: [PolicyConfig.Name] = [.snapkv, .pyramidkv], budgets: [Int] = [64, 128],
                priority: Int = 0, maxAttempts: Int = 3) -> ExperimentSpec {
    ExperimentSpec(benchmark: .needle, modelSha256: modelHash,
                   policies: policies.map { PolicyConfig(name: $0) }, budgets: budgets,
                   needle: NeedleSweep(lengths: lengths, depths: depths), priority: priority,
                   maxAttempts: maxAttempts)
}

@Suite struct CanonicalJSONTests {
    @Test func canonicalJSONHasSortedSnakeCaseKeysAndNoWhitespace() throws {
        let policy = PolicyConfig(name: .snapkv, window: 32, layout: .kvHead)
        let text = String(decoding: try WireJSON.canonicalData(policy), as: UTF8.self)
        #expect(text == #"{"beta":20,"kernel":7,"layout":"kv_head","name":"snapkv","pooling":"max","window":32}"#)
    }

    @Test func jobKeyIsSHA256OfCanonicalJSON() throws {
        let expanded = try ExperimentExpansion.expand(needleSpec(), samples: [])
        let job = expanded.jobs[0]
        let canonical = try WireJSON.canonicalData(job.spec)
        #expect(job.key.hex == ContentHash.sha256Hex(canonical))
        #expect(ContentHash.isSHA256Hex(job.key.hex))
    }

    @Test func sha256HexMatchesAKnownVector() {
        #expect(ContentHash.sha256Hex(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func everyOutputChangingFieldChangesTheKey() throws {
        let base = try ExperimentExpansion.expand(needleSpec(), samples: []).jobs[0].spec
        var variants: [JobSpec] = []
        var changed = base; changed.policy.window = 32; variants.append(changed)
        changed = base; changed.policy.layout = .kvHead; variants.append(changed)
        changed = base; changed.budget += 1; variants.append(changed)
        changed = base; changed.engineVersion = "9.9.9"; variants.append(changed)
        changed = base; changed.maxNewTokens += 1; variants.append(changed)
        changed = base; changed.stop = []; variants.append(changed)
        changed = base; changed.sampleIds.removeLast(); variants.append(changed)
        changed = base; changed.modelSha256 = String(repeating: "cd", count: 32); variants.append(changed)
        changed = base; changed.activations = .int8; variants.append(changed)
        let keys = try Set(([base] + variants).map { try $0.key() })
        #expect(keys.count == variants.count + 1)
    }

    /// Exact mode is the default and stays out of the key's JSON, so exact jobs keep the keys
    /// they had before modes existed; fast mode is other jobs.
    @Test func numericsModeIsInTheKeyOnlyWhenFast() throws {
        var spec = needleSpec()
        let before = try ExperimentExpansion.expand(spec, samples: []).jobs
        spec.activations = .f32
        let named = try ExperimentExpansion.expand(spec, samples: []).jobs
        #expect(named.map(\.key) == before.map(\.key))
        #expect(named.allSatisfy { $0.spec.activations == nil && $0.spec.numerics == .f32 })
        #expect(!String(decoding: try WireJSON.canonicalData(named[0].spec), as: UTF8.self).contains("activations"))
        spec.activations = .int8
        let fast = try ExperimentExpansion.expand(spec, samples: []).jobs
        #expect(fast.allSatisfy { $0.spec.numerics == .int8 })
        #expect(Set(fast.map(\.key)).isDisjoint(with: before.map(\.key)))
        #expect(String(decoding: try WireJSON.canonicalData(fast[0].spec), as: UTF8.self).contains(#""activations":"int8""#))
    }

    @Test func priorityDoesNotChangeJobKeys() throws {
        let low = try ExperimentExpansion.expand(needleSpec(priority: 0), samples: [])
        let high = try ExperimentExpansion.expand(needleSpec(priority: 9), samples: [])
        #expect(low.jobs.map(\.key) == high.jobs.map(\.key))
        #expect(low.experimentId != high.experimentId)
    }

    @Test func wireTypesRoundTrip() throws {
        let hardware = HardwareClass(cpu: "Xeon", threads: 2, dtype: "q4_1")
        let result = SampleResult(sampleId: "s", prediction: "eat a sandwich", promptTokens: 1000,
                                  generatedTokens: 12, prefillSeconds: 1.5, decodeSeconds: 0.25,
                                  kvBytes: 4096, hardware: hardware)
        let data = try WireJSON.canonicalData(PredictionPost(token: "t", result: result))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""kv_bytes":4096"#))
        #expect(text.contains(#""engine_version":"\#(EngineVersion.current)""#))
        let back = try StrictJSONDecoder.decode(PredictionPost.self, from: data)
        #expect(back.result == result)
    }
}

@Suite struct StrictDecodingTests {
    @Test func unknownFieldIsNamedWithItsPath() throws {
        let json = #"{"token":"t","samples_done":1,"colour":"red"}"#
        #expect(throws: WireDecodingError.unknownField(field: "colour")) {
            try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(json.utf8))
        }
        let nested = #"{"worker_id":"w","models":[],"hardware":{"cpu":"x","threads":1,"dtype":"f32","engine_version":"1","socket":2}}"#
        #expect(throws: WireDecodingError.unknownField(field: "hardware.socket")) {
            try StrictJSONDecoder.decode(LeaseRequest.self, from: Data(nested.utf8))
        }
    }

    @Test func missingAndMistypedFieldsAreNamed() {
        #expect(throws: WireDecodingError.missingField(field: "samples_done")) {
            try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(#"{"token":"t"}"#.utf8))
        }
        #expect(throws: WireDecodingError.wrongType(field: "samples_done", expected: "an integer")) {
            try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(#"{"token":"t","samples_done":"x"}"#.utf8))
        }
    }

    @Test func malformedJSONIsReportedAgainstTheBody() {
        do {
            _ = try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(#"{"token":"#.utf8))
            Issue.record("decoded malformed JSON")
        } catch {
            #expect(error.field == "body")
        }
    }

    @Test func aShapeThatPassedIsOnlyDecodedAndOthersAreStillChecked() throws {
        let good = #"{"token":"t","samples_done":1}"#
        for _ in 0..<3 {  // the first decode checks and remembers the shape, the others reuse it
            #expect(try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(good.utf8))
                    == HeartbeatRequest(token: "t", samplesDone: 1))
        }
        #expect(try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(#" { "samples_done" : 2, "token" : "u" } "#.utf8))
                == HeartbeatRequest(token: "u", samplesDone: 2))
        #expect(throws: WireDecodingError.unknownField(field: "colour")) {
            try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(#"{"token":"t","samples_done":1,"colour":1}"#.utf8))
        }
        // A key spelled with escapes is not scanned: the full check still finds it.
        #expect(throws: WireDecodingError.unknownField(field: "colour")) {
            try StrictJSONDecoder.decode(HeartbeatRequest.self,
                                         from: Data(#"{"token":"t","samples_done":1,"col\u006fur":1}"#.utf8))
        }
        // A null unknown key passes; the same key holding a value is another shape, and refused.
        #expect(try StrictJSONDecoder.decode(HeartbeatRequest.self,
                                             from: Data(#"{"token":"t","samples_done":1,"extra":null}"#.utf8)).token == "t")
        #expect(throws: WireDecodingError.unknownField(field: "extra")) {
            try StrictJSONDecoder.decode(HeartbeatRequest.self, from: Data(#"{"token":"t","samples_done":1,"extra":0}"#.utf8))
        }
        // Nested: a known shape for the outer object does not hide a new inner key.
        let lease = #"{"worker_id":"w","hardware":{"cpu":"c","threads":1,"dtype":"fp32","engine_version":"0"},"models":["a","b"]}"#
        _ = try StrictJSONDecoder.decode(LeaseRequest.self, from: Data(lease.utf8))
        #expect(throws: WireDecodingError.unknownField(field: "hardware.socket")) {
            try StrictJSONDecoder.decode(LeaseRequest.self, from: Data(
                #"{"worker_id":"w","hardware":{"cpu":"c","threads":1,"dtype":"fp32","engine_version":"0","socket":0},"models":["a"]}"#.utf8))
        }
    }

    @Test func keyShapesIgnoreOrderSpacingAndValuesButNotKeys() throws {
        func shape(_ text: String) -> String? { Data(text.utf8).withUnsafeBytes { JSONKeyShape.of($0) } }
        #expect(shape(#"{"a":1,"b":{"c":[1,2]}}"#) == shape(#" {"b" : {"c":[3]} , "a":"x"} "#))
        #expect(shape(#"{"a":1}"#) != shape(#"{"a":1,"b":2}"#))
        #expect(shape(#"{"a":null}"#) != shape(#"{"a":1}"#))
        #expect(shape(#"[{"a":1},{"a":2},{"b":3}]"#) == shape(#"[{"b":0},{"a":5}]"#))
        #expect(shape(#"{"a":1"#) == nil)
        #expect(shape(#"{"a\"b":1}"#) == nil)
        #expect(shape(#"{"a":1} x"#) == nil)
    }

    @Test func nullForAnOptionalIsAccepted() throws {
        let json = #"{"lease":null}"#
        #expect(try StrictJSONDecoder.decode(LeaseResponse.self, from: Data(json.utf8)).lease == nil)
    }
}
