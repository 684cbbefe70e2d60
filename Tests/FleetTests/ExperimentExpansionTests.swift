import Foundation
import FleetCore
import PolicySpec
import Testing

@Suite struct ExperimentExpansionTests {
    @Test func needleSweepExpandsToPoliciesTimesBudgetsTimesShards() throws {
        // 2 lengths × 3 depths = 6 cells of ≤ 2000 tokens; one shard of 65,536 tokens holds all.
        let expanded = try ExperimentExpansion.expand(needleSpec(), samples: [])
        #expect(expanded.samples.count == 6)
        #expect(expanded.jobs.count == 2 * 2)
        #expect(expanded.jobs.allSatisfy { $0.spec.sampleIds.count == 6 })
        #expect(expanded.jobs[0].spec.maxNewTokens == 30)
        #expect(expanded.experimentId.hasPrefix("exp-") && expanded.experimentId.count == 20)
    }

    @Test func fullKVRunsOnceWhateverTheBudgets() throws {
        let spec = needleSpec(policies: [.fullkv, .snapkv], budgets: [64, 128, 256])
        let expanded = try ExperimentExpansion.expand(spec, samples: [])
        #expect(expanded.jobs.filter { $0.spec.policy.name == .fullkv }.map(\.spec.budget) == [JobSpec.wholeCache])
        #expect(expanded.jobs.filter { $0.spec.policy.name == .snapkv }.map(\.spec.budget) == [64, 128, 256])
    }

    @Test func jobsComeShardByShardSoEachPrefillServesEveryPolicy() throws {
        var spec = needleSpec(lengths: [1000, 2000, 3000], depths: [0, 100], policies: [.fullkv, .snapkv, .pyramidkv],
                              budgets: [64, 128])
        spec.shardTokens = 4000
        let jobs = try ExperimentExpansion.expand(spec, samples: []).jobs
        // 4 shards × (FullKV once + 2 policies × 2 budgets): the 5 jobs of a shard are consecutive.
        #expect(jobs.count == 20)
        for start in stride(from: 0, to: 20, by: 5) {
            #expect(Set(jobs[start..<start + 5].map(\.spec.sampleIds)).count == 1)
            #expect(jobs[start..<start + 5].map { ResultsLabel.of($0.spec) } == ["fullkv", "snapkv@64", "snapkv@128",
                                                                                "pyramidkv@64", "pyramidkv@128"])
        }
    }

    @Test func questionTimingIsPartOfTheKeyAndAwareIsSpelledAsNone() throws {
        let aware = try ExperimentExpansion.expand(needleSpec(), samples: []).jobs.map(\.key)
        var spelled = needleSpec()
        spelled.question = .aware
        #expect(try ExperimentExpansion.expand(spelled, samples: []).jobs.map(\.key) == aware)
        var after = needleSpec()
        after.question = .afterCompression
        let expanded = try ExperimentExpansion.expand(after, samples: [])
        #expect(expanded.jobs.allSatisfy { $0.spec.question == .afterCompression })
        #expect(Set(expanded.jobs.map(\.key)).isDisjoint(with: aware))
        // LongBench templates have no single context-then-question split; RULER's have.
        var longbench = ExperimentSpec(benchmark: .longbench, modelSha256: modelHash, policies: [PolicyConfig(name: .snapkv)],
                                       budgets: [64], longbench: LongBenchSweep(datasets: [LongBenchDatasetProtocol(
                                           dataset: "qasper", promptTemplate: "{context}{input}", maxNewTokens: 8, applyChatTemplate: true)],
                                           maxLength: 3500, datasetVersion: "v1"))
        longbench.question = .afterCompression
        #expect(throws: ExperimentSpecError(field: "spec.question",
                                            reason: "after-compression is supported for the needle and RULER (ruler_<task>) only, got qasper")) {
            try ExperimentExpansion.expand(longbench, samples: [])
        }
        // RULER prompts are one context, then the question: accepted.
        longbench.longbench?.datasets[0].dataset = "ruler_vt"
        #expect(throws: ExperimentSpecError(field: "samples", reason: "no samples for dataset 'ruler_vt'")) {
            try ExperimentExpansion.expand(longbench, samples: [])  // past the question check, to the samples
        }
    }

    /// `questions: k`: a key field only when given, RULER records only, follow-ups numbered 2…k
    /// naming their lead; the samples keep their addresses (the lead is RULER's own record).
    @Test func questionsPerContextAreValidatedAndKeyed() throws {
        func ruler(_ questions: Int?) -> ExperimentSpec {
            ExperimentSpec(benchmark: .longbench, modelSha256: modelHash, policies: [PolicyConfig(name: .snapkv)], budgets: [64],
                           longbench: LongBenchSweep(datasets: [LongBenchDatasetProtocol(
                               dataset: "ruler_niah_multikey_2", promptTemplate: "{context}{input}", maxNewTokens: 128,
                               applyChatTemplate: true)], maxLength: 4096, datasetVersion: "v1"),
                           questions: questions)
        }
        let lead = SampleSpec(benchmark: .longbench, dataset: "ruler_niah_multikey_2", recordId: "niah_multikey_2-0",
                              input: " The special magic number for a mentioned in the provided text is", context: "H Q(a)",
                              answers: ["1"], recordLength: 100)
        var followUp = lead
        followUp.recordId = "niah_multikey_2-0-q2"
        followUp.context = "H Q(b)"
        followUp.answers = ["2"]
        followUp.questionIndex = 2
        followUp.leadContext = lead.context
        followUp.leadInput = lead.input
        let single = try ExperimentExpansion.expand(ruler(nil), samples: [lead, followUp])
        let reused = try ExperimentExpansion.expand(ruler(3), samples: [lead, followUp])
        #expect(single.jobs.allSatisfy { $0.spec.questions == nil } && reused.jobs.allSatisfy { $0.spec.questions == 3 })
        #expect(Set(single.jobs.map(\.key)).isDisjoint(with: reused.jobs.map(\.key)))
        #expect(single.samples.map(\.id) == reused.samples.map(\.id))
        // The lead's address is that of the record without follow-up fields: RULER's own sample.
        #expect(single.samples[0].id == (try lead.id()))
        #expect(try JSONEncoder().encode(lead).count < (try JSONEncoder().encode(followUp)).count)

        for k in [1, 0, 17] {
            #expect(throws: ExperimentSpecError(field: "spec.questions",
                                                reason: "must be 2…16 (leave it out for one question per context), got \(k)")) {
                try ExperimentExpansion.expand(ruler(k), samples: [lead])
            }
        }
        var needle = needleSpec()
        needle.questions = 2
        #expect(throws: ExperimentSpecError.self) { try ExperimentExpansion.expand(needle, samples: []) }
        var tooFar = followUp
        tooFar.questionIndex = 4
        #expect(throws: ExperimentSpecError(field: "samples[1].question_index", reason: "4 exceeds the experiment's questions: 3")) {
            try ExperimentExpansion.expand(ruler(3), samples: [lead, tooFar])
        }
        var orphan = followUp
        orphan.leadInput = nil
        #expect(throws: ExperimentSpecError.self) { try ExperimentExpansion.expand(ruler(3), samples: [lead, orphan]) }
        var unnumbered = followUp
        unnumbered.questionIndex = nil
        #expect(throws: ExperimentSpecError(field: "samples[1].question_index", reason: "required with lead_context/lead_input")) {
            try ExperimentExpansion.expand(ruler(nil), samples: [lead, unnumbered])
        }
    }

    @Test func shardsFollowTheTokenTarget() throws {
        var spec = needleSpec(lengths: [1000, 2000, 3000], depths: [0, 100], policies: [.snapkv], budgets: [64])
        spec.shardTokens = 4000
        let expanded = try ExperimentExpansion.expand(spec, samples: [])
        // cells in order: 1000,1000,2000,2000,3000,3000 → [1000,1000,2000] [2000] [3000] [3000]
        #expect(expanded.jobs.map(\.spec.sampleIds.count) == [3, 1, 1, 1])
    }

    @Test func expansionIsDeterministic() throws {
        let first = try ExperimentExpansion.expand(needleSpec(), samples: [])
        let second = try ExperimentExpansion.expand(needleSpec(), samples: [])
        #expect(first.experimentId == second.experimentId)
        #expect(first.jobs.map(\.key) == second.jobs.map(\.key))
    }

    @Test func longBenchSamplesAreGroupedByDatasetAndLimited() throws {
        let protocols = [
            LongBenchDatasetProtocol(dataset: "qasper", promptTemplate: "Q {context} {input}", maxNewTokens: 128,
                                     applyChatTemplate: true),
            LongBenchDatasetProtocol(dataset: "samsum", promptTemplate: "S {context} {input}", maxNewTokens: 128,
                                     applyChatTemplate: false, stop: ["\n"]),
        ]
        let spec = ExperimentSpec(benchmark: .longbench, modelSha256: modelHash,
                                  policies: [PolicyConfig(name: .snapkv)], budgets: [128],
                                  longbench: LongBenchSweep(datasets: protocols, limit: 2, maxLength: 3500,
                                                            datasetVersion: "v1"))
        let samples = (0..<3).flatMap { index in
            ["qasper", "samsum"].map { dataset in
                SampleSpec(benchmark: .longbench, dataset: dataset, recordId: "\(dataset)-\(index)",
                           input: "question \(index)", context: "context", answers: ["a"])
            }
        }
        let expanded = try ExperimentExpansion.expand(spec, samples: samples)
        #expect(expanded.jobs.count == 2)
        #expect(expanded.jobs.map(\.spec.dataset) == ["qasper", "samsum"])
        #expect(expanded.jobs.allSatisfy { $0.spec.sampleIds.count == 2 })
        #expect(expanded.jobs[1].spec.stop == ["\n"])
        #expect(expanded.jobs[0].spec.maxLength == 3500)
    }

    @Test func invalidSpecsNameTheField() {
        #expect(throws: ExperimentSpecError(field: "spec.budgets[1]", reason: "must be ≥ 1")) {
            try ExperimentExpansion.expand(needleSpec(budgets: [64, 0]), samples: [])
        }
        var badModel = needleSpec()
        badModel.modelSha256 = "xyz"
        #expect(throws: ExperimentSpecError(field: "spec.model_sha256", reason: "must be 64 lower-case hex digits")) {
            try ExperimentExpansion.expand(badModel, samples: [])
        }
        #expect(throws: ExperimentSpecError(field: "spec.needle.depths[0]", reason: "must lie in 0...100")) {
            try ExperimentExpansion.expand(needleSpec(depths: [101]), samples: [])
        }
        #expect(throws: ExperimentSpecError(field: "samples",
                                            reason: "needle samples are generated from the grid; send none")) {
            try ExperimentExpansion.expand(needleSpec(), samples: [.needleCell(length: 1, depth: 1)])
        }
    }
}

private enum ResultsLabel {
    static func of(_ spec: JobSpec) -> String {
        spec.rowBudget.map { "\(spec.policy.name.rawValue)@\($0)" } ?? spec.policy.name.rawValue
    }
}
