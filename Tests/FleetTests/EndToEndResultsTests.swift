import Coordinator
import FleetCore
import Foundation
import KVEval
import TestSupport
import Testing
import Worker

/// The needle metric as design §3 states it: |set(lower(response).split()) ∩ E| / |E|; the
/// second metric shows that only the primary one is tabulated.
let needleWordOverlap: SampleScoring = { prediction, _, _ in
    let expected = Set("eat a sandwich and sit in Dolores Park on a sunny day.".lowercased()
        .split(whereSeparator: \.isWhitespace).map(String.init))
    let words = Set(prediction.lowercased().split(whereSeparator: \.isWhitespace).map(String.init))
    return [MetricScore(metric: "needle_words", score: Double(words.intersection(expected).count) / Double(expected.count)),
            MetricScore(metric: "always_one", score: 1)]
}

@Suite(.serialized) struct EndToEndResultsTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test func sweepByTwoWorkersIsRescoredIntoATableAndAHeatmap() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let admin = AdminClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: coordinator.baseURL, token: adminToken)))
        let spec = needleSpec(lengths: [1000, 2000, 3000], depths: [0, 50, 100],
                              policies: [.fullkv, .snapkv, .pyramidkv], budgets: [64, 128])
        let submitted = try await admin.submit(SubmitRequest(spec: spec))
        #expect(submitted.jobsCreated == 5) // FullKV runs once for both budgets

        // Two simulated workers: fullkv always finds the needle, the others miss it past 2000 tokens.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in ["w1", "w2"] {
                group.addTask {
                    let client = WorkerClient(connection: CoordinatorConnection(
                        endpoint: CoordinatorEndpoint(baseURL: coordinator.baseURL, token: workerToken)))
                    while let lease = try await client.lease(leaseRequest(name)) {
                        let samples = Dictionary(uniqueKeysWithValues: try await client.samples(job: lease.jobId)
                            .map { ($0.id, $0.sample) })
                        for sampleId in lease.pendingSampleIds {
                            let found = lease.spec.policy.name == .fullkv || (samples[sampleId]?.length ?? 0) <= 2000
                            let text = found ? "eat a sandwich and sit in Dolores Park on a sunny day." : "I don't know"
                            _ = try await client.post(sampleResult(sampleId, prediction: text), for: lease)
                        }
                        _ = try await client.complete(lease)
                    }
                }
            }
            try await group.waitForAll()
        }

        let unscored = try await admin.results(submitted.experiment)
        #expect(throws: ResultsError.scoresNotAvailable(experiment: submitted.experiment, unscored: 45)) {
            try ResultsTable.build(from: unscored)
        }
        let scores = Rescoring.scores(for: unscored, scoring: needleWordOverlap)
        #expect(scores.count == 90 && scores.filter { $0.primary == true }.count == 45)
        #expect(try await admin.uploadScores(ScoreUpload(scores: scores)).stored == 90)
        // Rescoring again replaces, never duplicates.
        #expect(try await admin.uploadScores(ScoreUpload(scores: scores)).stored == 90)

        let scored = try await admin.results(submitted.experiment)
        let table = try ResultsTable.build(from: scored)
        #expect(table.rows.count == 5)
        let fullkv = try #require(table.rows.first { $0.policy == "fullkv" })
        #expect(fullkv.budget == nil && fullkv.cells["needle"]?.score == 100)
        // The one FullKV run is one row without a budget, first; the others in the sweep's order.
        #expect(table.rows.map { ResultsTable.label(policy: $0.policy, budget: $0.budget) }
                == ["fullkv", "snapkv@64", "snapkv@128", "pyramidkv@64", "pyramidkv@128"])
        #expect(ResultsTableFormat.csv.render(table).split(separator: "\n")[1].hasPrefix("fullkv,,"))
        #expect(try ResultsComparison.build(from: scored, baseline: "fullkv").baseline == "fullkv")
        #expect(try NeedleHeatmap.build(from: scored, policy: .fullkv, budget: 128).overall == 1)
        #expect(throws: ResultsError.self) { try NeedleHeatmap.build(from: scored, policy: .fullkv, budget: 256) }
        let snapkv = try #require(table.rows.first { $0.policy == "snapkv" && $0.budget == 128 })
        // "i don't know" shares no word with E; 6 of 9 cells are found.
        #expect(snapkv.cells["needle"]?.score == 66.67)

        let heatmap = try NeedleHeatmap.build(from: scored, policy: .snapkv, budget: 64)
        #expect(heatmap.cells.count == 9)
        #expect(heatmap.cells.filter { $0.length == 3000 }.allSatisfy { $0.score == 0 })
        #expect(abs(heatmap.overall - 6.0 / 9.0) < 1e-9)
        let raw = try #require(scored.jobs.first?.predictions.first)
        #expect(raw.metrics?["always_one"] == 1 && raw.metrics?["needle_words"] == raw.score)
        await coordinator.stop()
    }
}
