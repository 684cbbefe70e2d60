import Coordinator
import FleetCore
import Foundation
import Testing
import TestSupport

/// Workers post their scores with each prediction (issue 10 §3): stored in the same write,
/// visible in results at once, primary first, invalid values refused with the field named.
@Suite struct PostedScoresTests {
    let directory: TemporaryDirectory
    let clock = ManualClock()

    init() throws { directory = try TemporaryDirectory() }

    func scored(_ sampleId: String, _ scores: [MetricScore]) -> SampleResult {
        var result = sampleResult(sampleId)
        result.scores = scores
        return result
    }

    @Test func postedScoresReachTheResultsWithoutARescore() async throws {
        let store = try CoordinatorStore(path: directory.path("fleet.sqlite"), clock: clock, leaseSeconds: 60)
        let submitted = try await store.submit(SubmitRequest(spec: needleSpec(lengths: [1000, 2000], depths: [0],
                                                                               policies: [.snapkv], budgets: [64])))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        let ids = lease.pendingSampleIds
        #expect(ids.count == 2)
        _ = try await store.postPrediction(job: lease.jobId, PredictionPost(token: lease.token, result: scored(ids[0], [
            MetricScore(metric: "needle_word_recall", score: 0.5), MetricScore(metric: "rouge1_f", score: 0.25)])))
        // A repeated post (a retry) changes nothing, even with other scores.
        let again = try await store.postPrediction(job: lease.jobId, PredictionPost(token: lease.token, result: scored(ids[0], [
            MetricScore(metric: "needle_word_recall", score: 1)])))
        #expect(again.stored == false)
        // A score outside 0...1 is refused with its field; the prediction is not stored either.
        do {
            _ = try await store.postPrediction(job: lease.jobId, PredictionPost(token: lease.token, result: scored(ids[1], [
                MetricScore(metric: "needle_word_recall", score: 1.5)])))
            Issue.record("a score of 1.5 was accepted")
        } catch {
            #expect("\(error)".contains("result.scores[0].score"))
        }
        let results = try await store.results(experiment: submitted.experiment)
        let predictions = results.jobs.flatMap(\.predictions)
        #expect(predictions.count == 1)
        #expect(predictions[0].score == 0.5)
        #expect(predictions[0].metrics == ["needle_word_recall": 0.5, "rouge1_f": 0.25])
        let table = try ResultsTable.build(from: results)
        #expect(table.rows.first?.cells["needle"]?.score == 50)

        // Rescoring under a new primary metric demotes the old one.
        _ = try await store.storeScores(ScoreUpload(scores: [ScoreRecord(jobId: lease.jobId, sampleId: ids[0],
                                                                         metric: "rouge1_recall", score: 0.75, primary: true)]))
        let rescored = try await store.results(experiment: submitted.experiment).jobs.flatMap(\.predictions)
        #expect(rescored[0].score == 0.75)
        #expect(rescored[0].metrics?.count == 3)
    }
}
