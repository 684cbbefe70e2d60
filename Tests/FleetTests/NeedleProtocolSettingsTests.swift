import TaskSpec
import FleetCore
import KVEval
import Testing
@testable import Worker

/// The needle protocol as a sweep carries it (FleetCore) and as the worker builds it (KVEval).
@Suite struct NeedleProtocolSettingsTests {
    @Test func chatDefaultsAgreeWithKVEval() {
        let chat = NeedleSettings.defaults(protocolName: "chat")
        #expect(chat.promptTemplate == NeedleProtocol.chat.defaultTemplate)
        #expect(chat.question == NeedleProtocol.chat.defaultQuestion)
        #expect(chat.protocolLabel == "chat")
        let factory = NeedleSettings.defaults(protocolName: "kvcache-factory")
        #expect(factory == NeedleSettings())
        #expect(factory.promptTemplate == NeedleProtocol.kvcacheFactory.defaultTemplate)
        #expect(factory.question == NeedleProtocol.kvcacheFactory.defaultQuestion)
        #expect(NeedleSettings.protocolNames == NeedleProtocol.allCases.map(\.rawValue))
        #expect(NeedleSettings.defaultAnswer == NeedleTexts.answer)
    }

    @Test func protocolIsPartOfTheJobKeyAndTheDefaultSpellingIsNot() throws {
        func key(_ settings: NeedleSettings) throws -> JobKey {
            var spec = needleSpec(lengths: [1000], depths: [50], policies: [.snapkv], budgets: [64])
            spec.needle?.settings = settings
            return try #require(try ExperimentExpansion.expand(spec, samples: []).jobs.first).key
        }
        var spelled = NeedleSettings()
        spelled.protocolName = "kvcache-factory"
        #expect(try key(spelled) == key(NeedleSettings()))
        #expect(try key(NeedleSettings.defaults(protocolName: "chat")) != key(NeedleSettings()))
        var unknown = NeedleSettings()
        unknown.protocolName = "completion"
        #expect(throws: ExperimentSpecError.self) { try key(unknown) }
    }

    /// A custom needle is scored against its own words, not the Dolores Park sentence.
    @Test func customNeedleIsScoredAgainstItself() throws {
        var settings = NeedleSettings.defaults(protocolName: "chat")
        settings.needle = "\nThe secret ingredient of the soup is saffron.\n"
        let expanded = try ExperimentExpansion.expand(
            needleSpec(lengths: [1000], depths: [50], policies: [.snapkv], budgets: [64]), samples: [])
        var spec = try #require(expanded.jobs.first?.spec)
        spec.needle = settings
        let sample = SampleSpec.needleCell(length: 1000, depth: 50)
        let hit = SampleScorer.scores(prediction: "The secret ingredient of the soup is saffron.", sample: sample, job: spec)
        let miss = SampleScorer.scores(prediction: "eat a sandwich and sit in Dolores Park on a sunny day.", sample: sample, job: spec)
        #expect(hit.map(\.metric) == ["needle_word_recall", "rouge1_recall", "rouge1_f"])
        #expect(hit[0].score == 1 && hit[1].score == 1)
        #expect(miss[0].score < 0.2)
    }
}
