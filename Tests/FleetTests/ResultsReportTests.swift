import Coordinator
import FleetCore
import Foundation
import KVEval
import Testing

/// A 5 × 5 needle grid under FullKV, SnapKV and PyramidKV at budgets 64 and 128, each
/// prediction scored by `score` and holding `kvBytes(policy, budget)` bytes of cache.
func reportResults(score: (String, Int, SampleSpec) -> Double) throws -> ExperimentResults {
    let spec = needleSpec(lengths: [1000, 2000, 3000, 4000, 5000], depths: [0, 25, 50, 75, 100],
                          policies: [.fullkv, .snapkv, .pyramidkv], budgets: [64, 128])
    let expanded = try ExperimentExpansion.expand(spec, samples: [])
    let samples = Dictionary(uniqueKeysWithValues: expanded.samples.map { ($0.id, $0.sample) })
    let jobs = expanded.jobs.enumerated().map { index, job in
        JobResults(jobId: Int64(index + 1), key: job.key, state: "done", spec: job.spec,
                   predictions: job.spec.sampleIds.map { id in
                       var result = sampleResult(id)
                       result.kvBytes = job.spec.budget == JobSpec.wholeCache ? 1 << 24 : job.spec.budget << 12
                       let value = score(job.spec.policy.name.rawValue, job.spec.budget, samples[id]!)
                       return PredictionRecord(sampleId: id, sample: samples[id]!, result: result, workerId: "w",
                                               score: value, metrics: ["needle_word_recall": value],
                                               primaryMetric: "needle_word_recall")
                   })
    }
    return ExperimentResults(experiment: expanded.experimentId, spec: spec, jobs: jobs)
}

@Suite struct ResultsReportTests {
    /// PyramidKV finds the needle in 20 of 25 cells at 64 where SnapKV finds none; at 128 both do.
    static func separated() throws -> ExperimentResults {
        try reportResults { policy, budget, sample in
            switch policy {
            case "fullkv": 1
            case "pyramidkv": budget == 128 || sample.depth != 0 ? 1 : 0
            default: budget == 128 ? 1 : 0
            }
        }
    }

    @Test func verdictsArePairedPerBudget() throws {
        let verdicts = PairedVerdicts.build(from: try Self.separated(), candidate: "pyramidkv", baseline: "snapkv")
        #expect(verdicts.lines.map(\.budget) == [64, 128])
        #expect(verdicts.lines[0].difference.n == 25 && verdicts.lines[0].difference.better == 20)
        #expect(verdicts.lines[0].verdict == "better")
        #expect(verdicts.lines[1].verdict == "no difference detected" && verdicts.lines[1].difference.equal == 25)
        #expect(verdicts.markdown().contains("- pyramidkv − snapkv @ 64 = +80.00 ["))
        #expect(verdicts.markdown().contains("n 25, worse 0 / better 20 / equal 5: **better**"))
        // The whole-cache policy answers every budget as a baseline.
        let full = PairedVerdicts.build(from: try Self.separated(), candidate: "pyramidkv", baseline: "fullkv")
        #expect(full.lines.map(\.verdict) == ["worse", "no difference detected"])
        #expect(PairedVerdicts.table([full]).contains("| 64 | ▼ -20.0 ["))
    }

    @Test func budgetCurvesHaveOneWholeCachePointAndKVBytes() throws {
        let curves = try BudgetCurves.build(from: try Self.separated())
        #expect(curves.curves.map(\.policy) == ["fullkv", "snapkv", "pyramidkv"])
        #expect(curves.curves[0].keepsWholeCache && curves.curves[0].points[0].meanKVBytes == Double(1 << 24))
        #expect(curves.curves[2].points.map(\.budget) == [64, 128])
        #expect(curves.curves[2].points.map(\.score.score) == [80, 100])
        #expect(curves.curves[1].points.map(\.meanKVBytes) == [Double(64 << 12), Double(128 << 12)])
        let svg = BudgetCurvesSVG.render(curves, axis: .budget)
        #expect(svg.components(separatedBy: "<polyline class=\"curve\"").count == 3)  // two budgeted policies
        #expect(svg.contains("class=\"reference\" data-policy=\"fullkv\""))
        #expect(svg.contains("data-policy=\"pyramidkv\" data-budget=\"64\" data-score=\"80.0\""))
        let bytes = BudgetCurvesSVG.render(curves, axis: .kvBytes)
        #expect(bytes.contains("circle class=\"point\" data-policy=\"fullkv\""))
        #expect(bytes.contains("16 MiB"))
    }

    @Test func reportHoldsFiguresTableVerdictsAndHeatmaps() throws {
        let results = try Self.separated()
        let report = try ResultsReport.build([results], context: .init(title: "Test", model: "tiny", command: "pyramidkv reproduce"))
        let md = try #require(report.files["report.md"])
        #expect(md.hasPrefix("# Test\n"))
        #expect(md.contains("- command: `pyramidkv reproduce`"))
        #expect(md.contains("pyramidkv − snapkv @ 64 = +80.00"))
        #expect(md.contains("| fullkv |  | 100.00 ± 0.00 |"))
        // Every figure the Markdown links is in the report, and nothing unlinked.
        let linked = md.components(separatedBy: "](").dropFirst().compactMap { $0.split(separator: ")").first.map(String.init) }
        #expect(Set(linked) == Set(report.files.keys).subtracting(["report.md"]))
        // Heatmaps: FullKV once, the others at each budget.
        #expect(report.files.keys.filter { $0.contains("-needle-") }.count == 5)
        #expect(report.files["\(results.experiment)-needle-fullkv.svg"]?.contains("fullkv, kvcache-factory protocol") == true)
    }
}
