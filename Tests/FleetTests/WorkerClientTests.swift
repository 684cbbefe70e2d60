import Coordinator
import FleetCore
import Foundation
import Testing
import Worker
import TestSupport

@Suite(.serialized) struct WorkerClientTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    func clients(_ coordinator: RunningCoordinator,
                 retry: RetryPolicy = RetryPolicy(maxAttempts: 3, initialDelaySeconds: 0.05)) -> (AdminClient, WorkerClient) {
        let admin = AdminClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: coordinator.baseURL, token: adminToken), retry: retry))
        let worker = WorkerClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: coordinator.baseURL, token: workerToken), retry: retry))
        return (admin, worker)
    }

    @Test func clientsRunAJobFromSubmitToDone() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let (admin, worker) = clients(coordinator)
        let haystack = try await admin.putBlob(Array("essay text".utf8))
        var spec = needleSpec(policies: [.snapkv], budgets: [64])
        spec.needle?.settings.haystackSha256 = haystack
        let submitted = try await admin.submit(SubmitRequest(spec: spec))
        #expect(submitted.jobsCreated == 1)

        let lease = try #require(try await worker.lease(leaseRequest("w1")))
        #expect(try await worker.blob(sha256: try #require(lease.spec.needle?.haystackSha256))
                == Array("essay text".utf8))
        let samples = try await worker.samples(job: lease.jobId)
        for (index, sample) in samples.enumerated() {
            #expect(try await worker.post(sampleResult(sample.id), for: lease).stored)
            #expect(try await worker.heartbeat(lease, samplesDone: index + 1).cancel == false)
        }
        #expect(try await worker.complete(lease).state == "done")
        // A retried complete (response lost) is answered again.
        #expect(try await worker.complete(lease).state == "done")

        let status = try await admin.experiment(submitted.experiment)
        #expect(status.samples == SampleCounts(done: 6, total: 6))
        #expect(try await admin.experiments().map(\.experiment) == [submitted.experiment])
        #expect(try await admin.workers().map(\.id) == ["w1"])
        #expect(try await admin.results(submitted.experiment).jobs[0].predictions.count == 6)
        await coordinator.stop()
    }

    @Test func refusalsComeBackTypedWithoutRetrying() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let (admin, worker) = clients(coordinator)
        _ = try await admin.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64])))
        let lease = try #require(try await worker.lease(leaseRequest("w1")))
        var stale = lease
        stale.token = "stale"
        do {
            _ = try await worker.post(sampleResult(lease.pendingSampleIds[0]), for: stale)
            Issue.record("stale post accepted")
        } catch {
            #expect(error.isStaleLease)
            #expect(error.status == 409)
        }
        do {
            _ = try await admin.experiment("exp-missing")
            Issue.record("unknown experiment found")
        } catch {
            #expect(error.status == 404)
            #expect("\(error)".contains("[field: experiment]"))
        }
        await coordinator.stop()
    }

    /// The connections the coordinator accepted so far, read from /metrics through `connection`.
    func connectionsAccepted(_ connection: CoordinatorConnection) async throws -> Int {
        let text = String(decoding: try await connection.send("GET", "/metrics", body: nil, contentType: "text/plain"),
                          as: UTF8.self)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("pyramidkv_http_connections_accepted_total ") })
        return try #require(Int(line.split(separator: " ")[1]))
    }

    /// The libcurl client keeps its connection alive: sequential calls of one connection value,
    /// answered 200 or refused 404, share one TCP connection, where as many fresh clients open
    /// one each (which shows the server-side count counts connections, not requests).
    @Test func sequentialCallsReuseTheKeepAliveConnection() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let connection = CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: coordinator.baseURL, token: workerToken),
            retry: RetryPolicy(maxAttempts: 1))
        let worker = WorkerClient(connection: connection)
        let before = try await connectionsAccepted(connection)
        #expect(before >= 1)
        let requests = 20
        for index in 0..<requests {
            if index.isMultiple(of: 2) {
                #expect(try await worker.lease(leaseRequest("w1")) == nil)
            } else {
                await #expect(throws: CoordinatorClientError.self) { _ = try await worker.samples(job: 999) }
            }
        }
        let opened = try await connectionsAccepted(connection) - before
        #expect(opened <= 1, "\(requests + 1) sequential requests opened \(opened) more connections")

        let fresh = 5
        let start = try await connectionsAccepted(connection)
        for _ in 0..<fresh {
            let once = CoordinatorConnection(endpoint: connection.endpoint, retry: RetryPolicy(maxAttempts: 1))
            _ = try await WorkerClient(connection: once).lease(leaseRequest("w1"))
        }
        #expect(try await connectionsAccepted(connection) - start == fresh)
        await coordinator.stop()
    }

    @Test func unreachableCoordinatorIsReportedAfterRetries() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        await coordinator.stop()
        let (_, worker) = clients(coordinator, retry: RetryPolicy(maxAttempts: 2, initialDelaySeconds: 0.01))
        do {
            _ = try await worker.lease(leaseRequest("w1"))
            Issue.record("leased from a stopped coordinator")
        } catch {
            guard case .unreachable(_, _, let attempts, _) = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(attempts == 2)
        }
    }

    @Test func workerWaitsOutACoordinatorRestartAndNothingAcceptedIsLost() async throws {
        let first = try await RunningCoordinator.start(in: directory)
        let (admin, worker) = clients(first, retry: RetryPolicy(maxAttempts: 100, initialDelaySeconds: 0.05,
                                                               maxDelaySeconds: 0.2))
        let submitted = try await admin.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64])))
        let lease = try #require(try await worker.lease(leaseRequest("w1")))
        #expect(try await worker.post(sampleResult(lease.pendingSampleIds[0]), for: lease).stored)
        await first.stop()

        // The next post is sent while the coordinator is down; it lands once it is back.
        let pending = Task { try await worker.post(sampleResult(lease.pendingSampleIds[1]), for: lease) }
        try await Task.sleep(for: .milliseconds(300))
        let second = try await RunningCoordinator.start(in: directory, port: first.port)
        #expect(try await pending.value.stored)
        for sampleId in lease.pendingSampleIds.dropFirst(2) {
            _ = try await worker.post(sampleResult(sampleId), for: lease)
        }
        #expect(try await worker.complete(lease).state == "done")
        let status = try await second.store.experimentStatus(submitted.experiment)
        #expect(status.samples == SampleCounts(done: 6, total: 6))
        await second.stop()
    }
}
