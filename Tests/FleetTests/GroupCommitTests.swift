import Coordinator
import FleetCore
import Testing
import TestSupport

/// The store's group commit: concurrent writes share transactions, yet each is answered as if it
/// had run alone, and a refused write leaves no trace while its batch-mates keep theirs.
@Suite struct GroupCommitTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test func concurrentWritesShareTransactionsAndARefusedOneIsRolledBackAlone() async throws {
        let store = try CoordinatorStore(path: directory.path("fleet.sqlite"))
        var spec = needleSpec(lengths: Array(1...40), depths: [0], policies: [.snapkv], budgets: [64])
        spec.shardTokens = 1_000_000 // one job holding all 40 samples
        _ = try await store.submit(SubmitRequest(spec: spec))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        #expect(lease.pendingSampleIds.count == 40)
        let before = try await store.metrics()

        // Every sample posted twice with the right token and once with a wrong one, all at once.
        enum Outcome: Equatable { case stored, repeated, refused }
        let outcomes = await withTaskGroup(of: (String, Outcome).self) { group in
            for sampleId in lease.pendingSampleIds {
                for token in [lease.token, "stale-\(sampleId.prefix(6))", lease.token] {
                    group.addTask {
                        do {
                            let ack = try await store.postPrediction(
                                job: lease.jobId, PredictionPost(token: token, result: sampleResult(sampleId)))
                            return (sampleId, ack.stored ? .stored : .repeated)
                        } catch {
                            return (sampleId, .refused)
                        }
                    }
                }
            }
            return await group.reduce(into: [(String, Outcome)]()) { $0.append($1) }
        }
        for sampleId in lease.pendingSampleIds {
            let mine = outcomes.filter { $0.0 == sampleId }.map(\.1)
            #expect(mine.filter { $0 == .stored }.count == 1, "sample \(sampleId): \(mine)")
            #expect(mine.filter { $0 == .repeated }.count == 1, "sample \(sampleId): \(mine)")
            #expect(mine.filter { $0 == .refused }.count == 1, "sample \(sampleId): \(mine)")
        }
        let after = try await store.metrics()
        #expect(after.predictions == 40)
        #expect(after.writes - before.writes == 120)
        // 120 writes queued together cannot each have needed a transaction of their own.
        #expect(after.writeTransactions - before.writeTransactions < 120)

        let done = try await store.complete(job: lease.jobId, token: lease.token)
        #expect(done.state == "done")
        let results = try await store.results(experiment: try await store.experiments()[0].experiment)
        #expect(results.jobs[0].predictions.count == 40)
        #expect(Set(results.jobs[0].predictions.map(\.sampleId)) == Set(lease.pendingSampleIds))
    }

    @Test func racingLeasesInOneBatchEachGetADifferentJob() async throws {
        let store = try CoordinatorStore(path: directory.path("fleet.sqlite"))
        var spec = needleSpec(lengths: Array(1...30), depths: [0], policies: [.snapkv], budgets: [64])
        spec.shardTokens = 1 // one job per sample
        let submitted = try await store.submit(SubmitRequest(spec: spec))
        let jobIds = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for index in 0..<(submitted.jobsCreated + 10) {
                group.addTask { try await store.lease(leaseRequest("w\(index)"))?.jobId }
            }
            return try await group.reduce(into: [Int64]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(jobIds.count == submitted.jobsCreated)
        #expect(Set(jobIds).count == jobIds.count)
    }

    @Test func aWriteThatFailsHalfwayLeavesNothingWhileItsBatchMatesCommit() async throws {
        let store = try CoordinatorStore(path: directory.path("fleet.sqlite"))
        var spec = needleSpec(lengths: Array(1...40), depths: [0], policies: [.snapkv], budgets: [64])
        spec.shardTokens = 1_000_000
        let submitted = try await store.submit(SubmitRequest(spec: spec))
        let lease = try #require(try await store.lease(leaseRequest("w1")))
        try await postAll(store, lease)

        // Per sample, at once: a good score of 1, and an upload that writes 0.5 for the sample and
        // then names a sample with no prediction, so it fails after its first insert.
        let refused = await withTaskGroup(of: Bool.self) { group in
            for sampleId in lease.pendingSampleIds {
                group.addTask {
                    (try? await store.storeScores(ScoreUpload(scores: [
                        ScoreRecord(jobId: lease.jobId, sampleId: sampleId, metric: "m", score: 1)]))) == nil
                }
                group.addTask {
                    (try? await store.storeScores(ScoreUpload(scores: [
                        ScoreRecord(jobId: lease.jobId, sampleId: sampleId, metric: "m", score: 0.5),
                        ScoreRecord(jobId: lease.jobId, sampleId: "no-such-sample", metric: "m", score: 0.5),
                    ]))) == nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(refused == 40)
        let results = try await store.results(experiment: submitted.experiment)
        #expect(results.jobs[0].predictions.count == 40)
        #expect(results.jobs[0].predictions.allSatisfy { $0.score == 1 },
                "\(results.jobs[0].predictions.map(\.score))")
    }
}
