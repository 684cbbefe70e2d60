import FleetCore
import Foundation
import KVEngine
import PolicySpec
import TestSupport
import Testing
import Worker

/// The real `pyramidkv` binary: a coordinator process and the client commands against it.
@Suite(.serialized)
struct CLITests {
    let directory: TemporaryDirectory

    init() throws {
        try CLIProcessError.requireBinary()   // fail, not skip, when the binary is missing
        directory = try TemporaryDirectory()
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func commandsPrintTheDocumentedJSONShapesAndTheCoordinatorStopsOnSIGTERM() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        let environment = ["PYRAMIDKV_TOKEN": adminToken, "PYRAMIDKV_COORDINATOR": coordinator.url]
        let submitArguments = ["submit", "needle", "--json", "--model-sha256", modelHash,
                               "--policies", "fullkv,snapkv,pyramidkv", "--budgets", "64,128",
                               "--lengths", "1000:3000:1000", "--depths", "3", "--shard-tokens", "65536"]  // one shard
        let submitted = try PyramidKVExecutable.run(submitArguments, environment: environment)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let submit = try json(submitted.stdout)
        let experiment = try #require(submit["experiment"] as? String)
        // FullKV once, SnapKV and PyramidKV at each budget.
        #expect(submit["jobs_created"] as? Int == 5)
        #expect(submit["jobs_existing"] as? Int == 0)
        let again = try json(try PyramidKVExecutable.run(submitArguments, environment: environment).stdout)
        #expect(again["jobs_created"] as? Int == 0 && again["jobs_existing"] as? Int == 5)

        let status = try json(try PyramidKVExecutable.run(["status", experiment, "--json"],
                                                          environment: environment).stdout)
        let jobs = try #require(status["jobs"] as? [String: Int])
        #expect(jobs == ["queued": 5, "leased": 0, "done": 0, "dead": 0, "cancelled": 0])
        #expect(status["samples"] as? [String: Int] == ["done": 0, "total": 45])
        #expect(status.keys.contains("eta_seconds"))

        let table = try PyramidKVExecutable.run(["results", "table", experiment, "--format", "md"],
                                                environment: environment)
        #expect(table.status != 0)
        #expect(table.stderr.contains("no predictions"))

        let cancelled = try json(try PyramidKVExecutable.run(["cancel", experiment, "--json"],
                                                             environment: environment).stdout)
        #expect(cancelled["jobs_changed"] as? Int == 5)
        let requeued = try json(try PyramidKVExecutable.run(["requeue", experiment, "--json"],
                                                            environment: environment).stdout)
        #expect(requeued["jobs_changed"] as? Int == 5)
        let workers = try json(try PyramidKVExecutable.run(["workers", "--json"], environment: environment).stdout)
        #expect((workers["workers"] as? [Any])?.isEmpty == true)

        let wrongToken = try PyramidKVExecutable.run(["status", "--json"],
                                                     environment: environment.merging(["PYRAMIDKV_TOKEN": workerToken]) { $1 })
        #expect(wrongToken.status != 0)
        #expect(wrongToken.stderr.contains("403"))

        let stopped = coordinator.terminate()
        #expect(stopped.status == 0)
        #expect(stopped.stdout.contains("stopped cleanly"))
    }

    /// Issue 12: one window rule from CLI to wire to engine. `submit --preset paper2024` without
    /// `--window` writes no window into the job; the job's policy, as the worker runs it, and
    /// the engine's SnapKV both resolve the preset's window, 32.
    @Test func cliSweepFleetJobAndEngineResolveOneWindow() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        let environment = ["PYRAMIDKV_TOKEN": adminToken, "PYRAMIDKV_COORDINATOR": coordinator.url]
        let submitted = try PyramidKVExecutable.run(
            ["submit", "needle", "--json", "--model-sha256", modelHash, "--policies", "snapkv", "--preset", "paper2024",
             "--budgets", "64", "--lengths", "1000", "--depths", "1"], environment: environment)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let experiment = try #require(try json(submitted.stdout)["experiment"] as? String)
        let admin = AdminClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: URL(string: coordinator.url)!, token: adminToken)))
        let job = try #require(try await admin.results(experiment).jobs.first).spec
        #expect(job.policy == PolicyConfig(name: .snapkv, preset: .paper2024))
        let running = try #require(try job.budgetedPolicy())
        #expect(running.effectiveWindow == 32)
        #expect(try #require(try KVPolicies.make(running)).captureWindow == 32)
        // An unknown name is refused by the CLI with the same vocabulary the coordinator uses.
        let unknown = try PyramidKVExecutable.run(
            ["submit", "needle", "--model-sha256", modelHash, "--policies", "snapk", "--budgets", "64"],
            environment: environment)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown policy 'snapk'; known: \(PolicyConfig.Name.knownValues)"))
        #expect(coordinator.terminate().status == 0)
    }

    @Test func coordinatorRefusesADatabaseFromANewerBinary() throws {
        do {
            let database = try SQLiteDatabaseFixture.create(directory.path("fleet.sqlite"), userVersion: 42)
            _ = database
        }
        try adminToken.write(toFile: directory.path("admin.token"), atomically: true, encoding: .utf8)
        try workerToken.write(toFile: directory.path("worker.token"), atomically: true, encoding: .utf8)
        let result = try PyramidKVExecutable.run([
            "coordinator", "--db", directory.path("fleet.sqlite"), "--listen", "127.0.0.1:0",
            "--admin-token-file", directory.path("admin.token"), "--worker-token-file", directory.path("worker.token"),
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("schema version 42"))
    }
}

/// Crash safety of the real coordinator process (WAL, synchronous=NORMAL).
@Suite(.serialized)
struct CoordinatorCrashTests {
    let directory: TemporaryDirectory

    init() throws {
        try CLIProcessError.requireBinary()   // fail, not skip, when the binary is missing
        directory = try TemporaryDirectory()
    }

    @Test func killedCoordinatorLosesNothingItAcceptedAndWorkersCarryOn() async throws {
        let first = try await CoordinatorProcess(directory: directory)
        let retry = RetryPolicy(maxAttempts: 200, initialDelaySeconds: 0.05, maxDelaySeconds: 0.2)
        let base = URL(string: first.url)!
        let admin = AdminClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: base, token: adminToken), retry: retry))
        let worker = WorkerClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: base, token: workerToken), retry: retry))
        let submitted = try await admin.submit(SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64])))
        let lease = try #require(try await worker.lease(leaseRequest("w1")))
        for sampleId in lease.pendingSampleIds.prefix(3) {
            #expect(try await worker.post(sampleResult(sampleId), for: lease).stored)
        }
        first.kill()

        // Posting resumes by itself once a new coordinator process is up on the same port.
        let rest = Task {
            for sampleId in lease.pendingSampleIds.dropFirst(3) {
                _ = try await worker.post(sampleResult(sampleId), for: lease)
            }
            return try await worker.complete(lease)
        }
        try await Task.sleep(for: .milliseconds(200))
        let second = try await CoordinatorProcess(directory: directory, port: first.port)
        #expect(try await rest.value.state == "done")
        let status = try await admin.experiment(submitted.experiment)
        #expect(status.samples == SampleCounts(done: 6, total: 6))
        let predictions = try await admin.results(submitted.experiment).jobs[0].predictions
        #expect(predictions.map(\.sampleId) == lease.pendingSampleIds)
        #expect(second.terminate().status == 0)
    }
}
