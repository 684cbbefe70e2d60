import Coordinator
import FleetCore
import Testing

/// Synthetic stored results: each prediction scored by `score(policy, budget, sample)`.
func scoredNeedleResults(score: (String, Int, SampleSpec) -> Double?) throws -> ExperimentResults {
    let spec = needleSpec(lengths: [1000, 2000], depths: [0, 100], policies: ["snapkv", "pyramidkv"], budgets: [64])
    let expanded = try ExperimentExpansion.expand(spec, samples: [])
    let samples = Dictionary(uniqueKeysWithValues: expanded.samples.map { ($0.id, $0.sample) })
    let jobs = expanded.jobs.enumerated().map { index, job in
        JobResults(jobId: Int64(index + 1), key: job.key, state: "done", spec: job.spec,
                   predictions: job.spec.sampleIds.map { id in
                       PredictionRecord(sampleId: id, sample: samples[id]!, result: sampleResult(id), workerId: "w",
                                        score: score(job.spec.policy.name, job.spec.budget, samples[id]!))
                   })
    }
    return ExperimentResults(experiment: expanded.experimentId, spec: spec, jobs: jobs)
}

@Suite struct ResultsAggregationTests {
    @Test func tableHasARowPerPolicyAndBudget() throws {
        let results = try scoredNeedleResults { policy, _, sample in
            policy == "snapkv" ? 1 : (sample.depth == 0 ? 1 : 0.5)
        }
        let table = try ResultsTable.build(from: results)
        #expect(table.columns == ["needle"])
        #expect(table.rows.map(\.policy) == ["snapkv", "pyramidkv"])
        #expect(table.rows[0].scores["needle"] == 100)
        #expect(table.rows[1].scores["needle"] == 75)
        #expect(table.rows[1].average == 75)
        #expect(ResultsTableFormat.md.render(table).contains("| pyramidkv | 64 | 75.00 | 75.00 |"))
        #expect(ResultsTableFormat.csv.render(table).hasPrefix("policy,budget,needle,average\nsnapkv,64,100.00,100.00"))
        #expect(ResultsTableFormat.json.render(table).contains(#"{"average":75,"budget":64,"policy":"pyramidkv","scores":{"needle":75}}"#))
        #expect(ResultsTableFormat.latex.render(table).contains("pyramidkv & 64 & 75.00 & 75.00 \\\\"))
    }

    @Test func heatmapAveragesCellsAndOverall() throws {
        let results = try scoredNeedleResults { _, _, sample in sample.length == 1000 ? 1 : 0 }
        let heatmap = try NeedleHeatmap.build(from: results, policy: "snapkv", budget: 64)
        #expect(heatmap.cells.count == 4)
        #expect(heatmap.cells[0] == NeedleHeatmap.Cell(length: 1000, depth: 0, score: 1))
        #expect(heatmap.overall == 0.5)
        #expect(heatmap.terminalRendering().contains("overall 0.500"))
    }

    @Test func unscoredPredictionsGiveATypedNotYetAvailableError() throws {
        let results = try scoredNeedleResults { _, _, _ in nil }
        #expect(throws: ResultsError.scoresNotAvailable(experiment: results.experiment, unscored: 8)) {
            try ResultsTable.build(from: results)
        }
        #expect(throws: ResultsError.noPredictions(experiment: results.experiment, filter: "policy h2o, budget 64")) {
            try NeedleHeatmap.build(from: results, policy: "h2o", budget: 64)
        }
        #expect(throws: ResultsError.rendererNotAvailable(format: "SVG")) {
            try UnavailableHeatmapRenderer().svg(NeedleHeatmap(cells: [], overall: 0), title: "t")
        }
    }
}
