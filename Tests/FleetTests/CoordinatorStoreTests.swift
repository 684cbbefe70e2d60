import Coordinator
import FleetCore
import Foundation
import PolicySpec
import Testing
import TestSupport

@Suite struct CoordinatorStoreTests {
    let directory: TemporaryDirectory
    let clock = ManualClock()

    init() throws { directory = try TemporaryDirectory() }

    func openStore(_ name: String = "fleet.sqlite", leaseSeconds: Double = 60) throws -> CoordinatorStore {
        try CoordinatorStore(path: directory.path(name), clock: clock, leaseSeconds: leaseSeconds)
    }

    @Test func databaseIsInWALModeWithForeignKeysAndTheLatestSchema() throws {
        _ = try openStore()
        let database = try SQLiteDatabase(path: directory.path("fleet.sqlite"))
        #expect(try database.query("PRAGMA journal_mode").first?["journal_mode"].string == "wal")
        #expect(try database.query("PRAGMA user_version").first?["user_version"].int
                == SchemaMigrations.latestVersion)
        let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .compactMap { $0["name"].string }
        #expect(tables == ["blobs", "experiment_jobs", "experiments", "job_samples", "jobs", "predictions",
                           "samples", "scores", "workers"])
    }

    @Test func reopeningKeepsDataAndDoesNotReapplyMigrations() async throws {
        let first = try openStore()
        _ = try await first.submit(SubmitRequest(spec: needleSpec()))
        let second = try openStore()
        #expect(try await second.experiments().count == 1)
    }

    @Test func newerDatabaseIsRefusedWithAClearMessage() throws {
        do {
            let database = try SQLiteDatabase(path: directory.path("future.sqlite"))
            try database.execute("PRAGMA user_version = 999")
        }
        do {
            _ = try openStore("future.sqlite")
            Issue.record("opened a database from the future")
        } catch {
            #expect("\(error)".contains("schema version 999"))
            #expect("\(error)".contains("knows only up to version \(SchemaMigrations.latestVersion)"))
        }
    }

    @Test func embeddedMigrationsMatchTheSchemaFolder() throws {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schema")
        let files = try FileManager.default.contentsOfDirectory(atPath: schema.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == SchemaMigrations.embedded.map(\.name))
        for (file, migration) in zip(files, SchemaMigrations.embedded) {
            let text = try String(contentsOf: schema.appendingPathComponent(file), encoding: .utf8)
            #expect(text == migration.sql + "\n", "run tools/embed-schema.sh after editing \(file)")
        }
    }

    @Test func resubmittingTheSameSweepCreatesNothing() async throws {
        let store = try openStore()
        let first = try await store.submit(SubmitRequest(spec: needleSpec()))
        #expect(first.jobsCreated == 4 && first.jobsExisting == 0)
        let again = try await store.submit(SubmitRequest(spec: needleSpec()))
        #expect(again == SubmitResponse(experiment: first.experiment, jobsCreated: 0, jobsExisting: 4))
        // A wider sweep reuses the overlapping jobs.
        let wider = try await store.submit(SubmitRequest(spec: needleSpec(budgets: [64, 128, 256])))
        #expect(wider.jobsCreated == 2 && wider.jobsExisting == 4)
        #expect(wider.experiment != first.experiment)
    }

    @Test func claimFollowsPriorityThenSubmissionOrder() async throws {
        let store = try openStore()
        _ = try await store.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64], priority: 0)))
        let urgent = try await store.submit(SubmitRequest(spec: needleSpec(policies: [.h2o], budgets: [64],
                                                                           priority: 5)))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        #expect(lease.spec.policy.name == .h2o)
        #expect(try await store.experimentStatus(urgent.experiment).jobs.leased == 1)
        let next = try #require(try await store.lease(leaseRequest("w2")))
        #expect(next.spec.policy.name == .snapkv)
        #expect(try await store.lease(leaseRequest("w3")) == nil)
    }

    @Test func onlyJobsForHeldModelsAreOffered() async throws {
        let store = try openStore()
        _ = try await store.submit(SubmitRequest(spec: needleSpec()))
        #expect(try await store.lease(leaseRequest("w1", models: [String(repeating: "0", count: 64)])) == nil)
        #expect(try await store.lease(leaseRequest("w1", models: [])) == nil)
        #expect(try await store.lease(leaseRequest("w1")) != nil)
    }

    @Test func onlyJobsKeyedWithNumericsTheWorkerRunsAreOffered() async throws {
        let store = try openStore()
        var fast = needleSpec(policies: [.snapkv], budgets: [64, 128])  // two jobs
        fast.activations = .int8
        _ = try await store.submit(SubmitRequest(spec: fast))
        // A build whose fast mode has other numerics (here exact's version, as before fast 0.3.0),
        // even one whose exact version equals the job's: nothing.
        let olderFast = LeaseRequest(workerId: "w1", hardware: testHardware, models: [modelHash],
                                     engineVersions: ["f32": EngineNumerics.fast, "int8": EngineNumerics.exact])
        #expect(try await store.lease(olderFast) == nil)
        // A worker that sends no list (older builds) runs its hardware's engine_version alone.
        var legacy = testHardware
        legacy.engineVersion = EngineNumerics.exact
        #expect(try await store.lease(LeaseRequest(workerId: "w2", hardware: legacy, models: [modelHash], engineVersions: nil)) == nil)
        legacy.engineVersion = EngineNumerics.fast
        let old = try #require(try await store.lease(LeaseRequest(workerId: "w2", hardware: legacy, models: [modelHash],
                                                                   engineVersions: nil)))
        #expect(old.spec.engineVersion == EngineNumerics.fast && old.spec.numerics == .int8)
        let lease = try #require(try await store.lease(leaseRequest("w3")))
        #expect(lease.spec.engineVersion == EngineNumerics.fast)
    }

    @Test func predictionsAreIdempotentAndFencedByTheLeaseToken() async throws {
        let store = try openStore()
        _ = try await store.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64])))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        let sample = lease.pendingSampleIds[0]
        let post = PredictionPost(token: lease.token, result: sampleResult(sample))
        #expect(try await store.postPrediction(job: lease.jobId, post) == PredictionAck(stored: true))
        #expect(try await store.postPrediction(job: lease.jobId, post) == PredictionAck(stored: false))

        let stale = PredictionPost(token: "not-the-token", result: sampleResult(lease.pendingSampleIds[1]))
        await #expect(throws: StoreError.self) { try await store.postPrediction(job: lease.jobId, stale) }
        let results = try await store.results(experiment: try await store.experiments()[0].experiment)
        #expect(results.jobs[0].predictions.map(\.sampleId) == [sample])
    }

    @Test func expiredLeaseGoesToAnotherWorkerWhoFinishesWithoutDuplicates() async throws {
        let store = try openStore()
        let submitted = try await store.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64])))
        let first = try #require(try await store.lease(leaseRequest("w1")))
        // w1 posts two samples then dies.
        for sampleId in first.pendingSampleIds.prefix(2) {
            _ = try await store.postPrediction(job: first.jobId, PredictionPost(token: first.token,
                                                                                 result: sampleResult(sampleId)))
        }
        clock.advance(61)
        #expect(try await store.sweepExpiredLeases() == 1)
        let second = try #require(try await store.lease(leaseRequest("w2")))
        #expect(second.jobId == first.jobId)
        #expect(second.attempt == 2)
        #expect(second.pendingSampleIds == Array(first.pendingSampleIds.dropFirst(2)))
        // The dead worker's late post is fenced off.
        await #expect(throws: StoreError.self) {
            try await store.postPrediction(job: first.jobId, PredictionPost(
                token: first.token, result: sampleResult(first.pendingSampleIds[3])))
        }
        try await postAll(store, second)
        #expect(try await store.complete(job: second.jobId, token: second.token).state == "done")
        let status = try await store.experimentStatus(submitted.experiment)
        #expect(status.samples == SampleCounts(done: 6, total: 6))
        #expect(status.jobs.done == 1)
        let predictions = try await store.results(experiment: submitted.experiment).jobs[0].predictions
        #expect(predictions.count == 6)
        #expect(Set(predictions.map(\.sampleId)).count == 6)
        #expect(predictions.prefix(2).allSatisfy { $0.workerId == "w1" })
    }

    @Test func completeRequiresEveryPrediction() async throws {
        let store = try openStore()
        _ = try await store.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64])))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        await #expect(throws: StoreError.self) { try await store.complete(job: lease.jobId, token: lease.token) }
    }

    @Test func failuresRetryThenBuryTheJobAndRequeueRevivesIt() async throws {
        let store = try openStore()
        let submitted = try await store.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64],
                                                                              maxAttempts: 2)))
        for attempt in 1...2 {
            let lease = try #require(try await store.lease(leaseRequest("w1")))
            #expect(lease.attempt == attempt)
            _ = try await store.fail(job: lease.jobId, FailRequest(token: lease.token, error: "boom \(attempt)"))
        }
        #expect(try await store.lease(leaseRequest("w1")) == nil)
        #expect(try await store.experimentStatus(submitted.experiment).jobs.dead == 1)
        #expect(try await store.requeue(experiment: submitted.experiment).jobsChanged == 1)
        #expect(try await store.lease(leaseRequest("w1"))?.attempt == 1)
    }

    @Test func cancelStopsQueuedJobsAndFlagsLeasedOnes() async throws {
        let store = try openStore()
        let submitted = try await store.submit(SubmitRequest(spec: needleSpec()))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        #expect(try await store.cancel(experiment: submitted.experiment).jobsChanged == 4)
        let beat = try await store.heartbeat(job: lease.jobId, HeartbeatRequest(token: lease.token, samplesDone: 0))
        #expect(beat.cancel)
        #expect(try await store.lease(leaseRequest("w2")) == nil)
        _ = try await store.release(job: lease.jobId, token: lease.token)
        #expect(try await store.experimentStatus(submitted.experiment).jobs == JobCounts(cancelled: 4))
    }

    @Test func blobsAreContentAddressed() async throws {
        let store = try openStore()
        let bytes = Array("haystack".utf8)
        let address = ContentHash.sha256Hex(bytes)
        #expect(try await store.putBlob(sha256: address, bytes: bytes) == BlobStored(sha256: address, bytes: 8))
        #expect(try await store.blob(sha256: address) == bytes)
        await #expect(throws: StoreError.self) {
            try await store.putBlob(sha256: String(repeating: "0", count: 64), bytes: bytes)
        }
    }

    @Test func aSweepNamingAHaystackBlobNeedsTheBlobStoredFirst() async throws {
        let store = try openStore()
        let text = Array("a haystack of our own".utf8)
        let address = ContentHash.sha256Hex(text)
        var spec = needleSpec()
        spec.needle?.settings.haystackSha256 = address
        do {
            _ = try await store.submit(SubmitRequest(spec: spec))
            Issue.record("a sweep with an unknown haystack blob was accepted")
        } catch {
            guard case .notFound(_, let id, let field) = error else {
                Issue.record("expected notFound, got \(error)")
                return
            }
            #expect(id == address && field == "spec.needle.settings.haystack_sha256")
        }
        #expect(try await store.experiments().isEmpty, "nothing was stored")
        _ = try await store.putBlob(sha256: address, bytes: text)
        #expect(try await store.submit(SubmitRequest(spec: spec)).jobsCreated == 4)
    }

    @Test func workersAreRecordedWithTheirHardware() async throws {
        let store = try openStore()
        _ = try await store.submit(SubmitRequest(spec: needleSpec()))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        let workers = try await store.workers()
        #expect(workers.map(\.id) == ["w1"])
        #expect(workers[0].hardware == testHardware)
        #expect(workers[0].currentJobId == lease.jobId)
    }
}
