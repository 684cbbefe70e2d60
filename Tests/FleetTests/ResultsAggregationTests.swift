import Coordinator
import FleetCore
import KVEval
import Testing

/// Synthetic stored results: each prediction scored by `score(policy, budget, sample)`.
func scoredNeedleResults(score: (String, Int, SampleSpec) -> Double?) throws -> ExperimentResults {
    let spec = needleSpec(lengths: [1000, 2000], depths: [0, 100], policies: [.snapkv, .pyramidkv], budgets: [64])
    let expanded = try ExperimentExpansion.expand(spec, samples: [])
    let samples = Dictionary(uniqueKeysWithValues: expanded.samples.map { ($0.id, $0.sample) })
    let jobs = expanded.jobs.enumerated().map { index, job in
        JobResults(jobId: Int64(index + 1), key: job.key, state: "done", spec: job.spec,
                   predictions: job.spec.sampleIds.map { id in
                       PredictionRecord(sampleId: id, sample: samples[id]!, result: sampleResult(id), workerId: "w",
                                        score: score(job.spec.policy.name.rawValue, job.spec.budget, samples[id]!))
                   })
    }
    return ExperimentResults(experiment: expanded.experimentId, spec: spec, jobs: jobs)
}

@Suite struct ResultsAggregationTests {
    @Test func tableHasARowPerPolicyAndBudgetWithIntervals() throws {
        let results = try scoredNeedleResults { policy, _, sample in
            policy == "snapkv" ? 1 : (sample.depth == 0 ? 1 : 0.5)
        }
        let table = try ResultsTable.build(from: results)
        #expect(table.columns == ["needle"])
        #expect(table.title == "needle (kvcache-factory protocol)")
        #expect(table.rows.map(\.policy) == ["snapkv", "pyramidkv"])
        #expect(table.rows[0].cells["needle"] == ResultsTable.Cell(score: 100, n: 4, ciLow: 100, ciHigh: 100))
        let cell = try #require(table.rows[1].cells["needle"])
        #expect(cell.score == 75 && cell.n == 4)
        // Bootstrap means of {1, 1, .5, .5}: 50 … 100 in steps of 12.5; the 95 % interval is wide.
        #expect(cell.ciLow >= 50 && cell.ciLow < 75 && cell.ciHigh > 75 && cell.ciHigh <= 100)
        #expect(table.rows[1].average == cell)
        let md = ResultsTableFormat.md.render(table)
        #expect(md.contains(String(format: "| pyramidkv | 64 | 75.00 ± %.2f | 75.00 ± %.2f |", cell.plusMinus, cell.plusMinus)))
        #expect(md.contains("n per cell: needle 4"))
        #expect(ResultsTableFormat.csv.render(table).hasPrefix(
            "policy,budget,needle,needle_ci_low,needle_ci_high,needle_n,average,average_ci_low,average_ci_high,average_n\n"
                + "snapkv,64,100.00,100.00,100.00,4,100.00,100.00,100.00,4\n"))
        #expect(ResultsTableFormat.json.render(table).contains(
            #""cells":{"needle":{"ci_high":\#(json(cell.ciHigh)),"ci_low":\#(json(cell.ciLow)),"n":4,"score":75}}"#))
        #expect(ResultsTableFormat.latex.render(table).contains(
            String(format: "pyramidkv & 64 & 75.0\\,{\\scriptsize±%.1f} & 75.0\\,{\\scriptsize±%.1f} \\\\", cell.plusMinus, cell.plusMinus)))
    }

    @Test func averageIsTheMeanOfDatasetMeans() throws {
        var results = try scoredNeedleResults { _, _, sample in sample.length == 1000 ? 1 : 0 }
        // Make the second job's column a second dataset: averages weigh datasets, not samples.
        results.jobs[1].spec.dataset = "other"
        results.jobs[1].spec.policy = results.jobs[0].spec.policy
        results.jobs[1].predictions = Array(results.jobs[1].predictions.prefix(1)) // one sample, score 1
        let table = try ResultsTable.build(from: results)
        #expect(table.columns == ["needle", "other"])
        let row = try #require(table.rows.first)
        #expect(row.cells["needle"]?.score == 50 && row.cells["other"]?.score == 100)
        #expect(row.average?.score == 75 && row.average?.n == 5)
    }

    @Test func heatmapCellsCarryNAndIntervals() throws {
        let results = try scoredNeedleResults { _, _, sample in sample.length == 1000 ? 1 : 0 }
        let heatmap = try NeedleHeatmap.build(from: results, policy: .snapkv, budget: 64)
        #expect(heatmap.cells.count == 4)
        #expect(heatmap.cells[0] == NeedleHeatmap.Cell(length: 1000, depth: 0, score: 1, n: 1, ciLow: 1, ciHigh: 1))
        #expect(heatmap.overall == 0.5)
        #expect(heatmap.overallCiLow < 0.5 && heatmap.overallCiHigh > 0.5)
        #expect(heatmap.title == "snapkv @ 64, kvcache-factory protocol")
        #expect(heatmap.terminalRendering().contains("overall 0.500 ["))
        let svg = heatmap.svg(model: "SmolLM2")
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("snapkv @ 64"))
    }

    @Test func partlyScoredResultsTabulateWhatIsScored() throws {
        let results = try scoredNeedleResults { policy, _, sample in policy == "snapkv" && sample.depth == 0 ? 1 : nil }
        let table = try ResultsTable.build(from: results)
        #expect(table.unscored == 6)
        // A row whose samples are all unscored stays, with no cells.
        #expect(table.rows.count == 2 && table.rows[1].cells.isEmpty && table.rows[1].average == nil)
        #expect(table.rows[0].cells["needle"] == ResultsTable.Cell(score: 100, n: 2, ciLow: 100, ciHigh: 100))
        #expect(ResultsTableFormat.md.render(table).contains("6 predictions not scored yet"))
    }

    @Test func unscoredPredictionsGiveATypedError() throws {
        let results = try scoredNeedleResults { _, _, _ in nil }
        #expect(throws: ResultsError.scoresNotAvailable(experiment: results.experiment, unscored: 8)) {
            try ResultsTable.build(from: results)
        }
        #expect(throws: ResultsError.noPredictions(experiment: results.experiment, filter: "policy h2o, budget 64")) {
            try NeedleHeatmap.build(from: results, policy: .h2o, budget: 64)
        }
    }

    @Test func compareIsPairedBySample() throws {
        let results = try scoredNeedleResults { policy, _, sample in
            policy == "snapkv" ? 1 : (sample.depth == 0 ? 1 : 0)
        }
        let comparison = try ResultsComparison.build(from: results, baseline: "snapkv@64")
        #expect(comparison.baseline == "snapkv@64")
        let row = try #require(comparison.rows.first)
        #expect(comparison.rows.count == 1)
        #expect(row.policy == "pyramidkv" && row.dataset == "needle" && row.n == 4)
        #expect(row.baselineScore == 100 && row.score == 50 && row.difference == -50)
        #expect(row.worse == 2 && row.better == 0 && row.equal == 2)
        #expect(row.ciLow <= -50 && row.ciHigh >= -50 && row.ciHigh <= 0)
        #expect(comparison.markdown().contains("| pyramidkv | 64 | needle | 4 | 100.00 | 50.00 | -50.00 |"))
        #expect(throws: ResultsError.unknownBaseline(experiment: results.experiment, baseline: "fullkv",
                                                     available: ["snapkv@64", "pyramidkv@64"])) {
            try ResultsComparison.build(from: results, baseline: "fullkv")
        }
    }
}

private func json(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}
