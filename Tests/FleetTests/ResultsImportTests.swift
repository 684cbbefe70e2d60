import Coordinator
import FleetCore
import Foundation
import Testing
import TestSupport

/// `results export` / `results import` at the store: what one coordinator ran enters another
/// with the same table, twice without duplicates, and a half-run job resumes where it stopped.
@Suite struct ResultsImportTests {
    let directory: TemporaryDirectory
    let clock = ManualClock()

    init() throws { directory = try TemporaryDirectory() }

    func openStore(_ name: String) throws -> CoordinatorStore {
        try CoordinatorStore(path: directory.path(name), clock: clock, leaseSeconds: 60)
    }

    /// A store where one job is done, one is half done (leased, one sample posted), the rest queued.
    func halfRunSweep() async throws -> (CoordinatorStore, String) {
        let store = try openStore("source.sqlite")
        var spec = needleSpec(lengths: [1000, 2000], depths: [0, 100], budgets: [64])
        spec.shardTokens = 2000  // shards [1000, 1000] [2000] [2000] × SnapKV, PyramidKV: 6 jobs
        let submitted = try await store.submit(SubmitRequest(spec: spec))
        let first = try #require(try await store.lease(leaseRequest("w1")))
        try await postAll(store, first)
        _ = try await store.complete(job: first.jobId, token: first.token)
        let second = try #require(try await store.lease(leaseRequest("w1")))
        let posted = try #require(second.pendingSampleIds.first)
        _ = try await store.postPrediction(job: second.jobId, PredictionPost(token: second.token, result: sampleResult(posted)))
        // Score every stored prediction, with a second, non-primary metric; scores that need all
        // 17 digits (SQLite's JSON would print 15), so a lossy read shows.
        let results = try await store.results(experiment: submitted.experiment)
        var scores: [ScoreRecord] = []
        for job in results.jobs {
            for prediction in job.predictions {
                scores.append(ScoreRecord(jobId: job.jobId, sampleId: prediction.sampleId, metric: "extra", score: 2.0 / 11, primary: false))
                scores.append(ScoreRecord(jobId: job.jobId, sampleId: prediction.sampleId, metric: "needle_word_recall",
                                          score: prediction.sample.depth == 0 ? 1 : 1.0 / 3, primary: true))
            }
        }
        _ = try await store.storeScores(ScoreUpload(scores: scores))
        return (store, submitted.experiment)
    }

    func batch(_ store: CoordinatorStore, _ experiment: String) async throws -> ResultsExport.Batch {
        let (header, samples, jobs) = ResultsExport.parts(of: try await store.results(experiment: experiment),
                                                          samples: try await store.samples(experiment: experiment))
        return ResultsExport.Batch(experiment: header.experiment, spec: header.spec, samples: samples, jobs: jobs)
    }

    @Test func importRebuildsTheTableOnceAndResumesTheHalfRunJob() async throws {
        let (source, experiment) = try await halfRunSweep()
        let export = try await batch(source, experiment)
        #expect(export.samples.count == 4)  // every cell, run or not
        let target = try openStore("target.sqlite")
        let first = try await target.importResults(export)
        #expect(first.jobsCreated == 6 && first.jobsExisting == 0 && first.predictionsStored == 3)
        let again = try await target.importResults(export)
        #expect(again.jobsCreated == 0 && again.jobsExisting == 6 && again.predictionsStored == 0 && again.predictionsExisting == 3)

        let before = try ResultsTable.build(from: try await source.results(experiment: experiment))
        let after = try ResultsTable.build(from: try await target.results(experiment: experiment))
        #expect(before == after)
        let imported = try await target.results(experiment: experiment)
        #expect(imported.jobs.flatMap(\.predictions).allSatisfy { $0.primaryMetric == "needle_word_recall" && $0.metrics?["extra"] == 2.0 / 11 })
        // Every metric comes back with its bits, in the source's results and through the import.
        let sourceScores = try await source.results(experiment: experiment).jobs.flatMap(\.predictions).map { [$0.score, $0.metrics?["needle_word_recall"]] }
        #expect(sourceScores.contains { $0 == [1.0 / 3, 1.0 / 3] })
        #expect(imported.jobs.flatMap(\.predictions).map { [$0.score, $0.metrics?["needle_word_recall"]] } == sourceScores)

        // The done job stays done; the half-run job (next in line) is queued and a worker gets only its missing sample.
        let status = try await target.experimentStatus(experiment)
        #expect(status.jobs.done == 1 && status.jobs.queued == 5 && status.samples.done == 3)
        let resumed = try #require(try await target.lease(leaseRequest("w2")))
        #expect(resumed.pendingSampleIds.count == 1)
        // Submitting the same sweep again finds every job there.
        let resubmitted = try await target.submit(SubmitRequest(spec: export.spec))
        #expect(resubmitted.experiment == experiment && resubmitted.jobsCreated == 0 && resubmitted.jobsExisting == 6)
    }

    @Test func importRefusesContentThatDoesNotHashToItsKey() async throws {
        let (source, experiment) = try await halfRunSweep()
        var export = try await batch(source, experiment)
        export.jobs[0].spec.budget = 128  // the results would pass for another job's
        let target = try openStore("target.sqlite")
        await #expect(throws: StoreError.self) { try await target.importResults(export) }
        do {
            _ = try await target.importResults(export)
        } catch {
            #expect("\(error)".contains("jobs[0].key"))
        }
        var strayed = try await batch(source, experiment)
        strayed.samples[0].sample.depth = 42
        await #expect(throws: StoreError.self) { try await target.importResults(strayed) }
        #expect(try await target.experiments().isEmpty)  // nothing stored from a refused batch
    }
}
