import Coordinator
import FleetCore
import Foundation
import Testing
import Worker
import TestSupport

@Suite(.serialized) struct ConcurrentWorkersTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test func racingWorkersClaimEachJobOnceAndStoreEachSampleOnce() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        var spec = needleSpec(lengths: Array(1...20), depths: [0, 50], policies: [.snapkv, .h2o], budgets: [64])
        spec.shardTokens = 4 // a few cells per job
        let admin = AdminClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: coordinator.baseURL, token: adminToken)))
        let submitted = try await admin.submit(SubmitRequest(spec: spec))

        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for index in 0..<12 {
                group.addTask {
                    let client = WorkerClient(connection: CoordinatorConnection(
                        endpoint: CoordinatorEndpoint(baseURL: coordinator.baseURL, token: workerToken)))
                    var claimed: [Int64] = []
                    while let lease = try await client.lease(leaseRequest("w\(index)")) {
                        claimed.append(lease.jobId)
                        for sampleId in lease.pendingSampleIds {
                            _ = try await client.post(sampleResult(sampleId), for: lease)
                        }
                        _ = try await client.complete(lease)
                    }
                    return claimed
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claims.count == submitted.jobsCreated)
        #expect(Set(claims).count == claims.count)
        let status = try await admin.experiment(submitted.experiment)
        #expect(status.jobs == JobCounts(done: submitted.jobsCreated))
        #expect(status.samples.done == status.samples.total)
        let results = try await admin.results(submitted.experiment)
        for job in results.jobs {
            #expect(job.predictions.map(\.sampleId) == job.spec.sampleIds)
        }
        await coordinator.stop()
    }
}
