import Coordinator
import FleetCore
import PolicySpec
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

@Suite(.serialized) struct CoordinatorHTTPTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test func healthNeedsNoToken() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        defer { Task { await coordinator.stop() } }
        let (status, body) = try await coordinator.call("GET", "/healthz", token: nil)
        #expect(status == 200)
        #expect(String(decoding: body, as: UTF8.self).contains(#""status":"ok""#))
        await coordinator.stop()
    }

    @Test func missingOrWrongTokensAreRefusedAndChangeNothing() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let submit = SubmitRequest(spec: needleSpec())
        let missing = try await coordinator.call("POST", "/v1/experiments", token: nil, json: submit)
        #expect(missing.status == 401)
        #expect(try decoded(ErrorBody.self, missing.body).field == "Authorization")
        #expect(try await coordinator.call("POST", "/v1/experiments", token: "guess", json: submit).status == 401)
        let wrongRole = try await coordinator.call("POST", "/v1/experiments", token: workerToken, json: submit)
        #expect(wrongRole.status == 403)
        #expect(try decoded(ErrorBody.self, wrongRole.body).error == "forbidden")
        let adminLeasing = try await coordinator.call("POST", "/v1/leases", token: adminToken,
                                                      json: leaseRequest("w1"))
        #expect(adminLeasing.status == 403)
        #expect(try await coordinator.store.experiments().isEmpty)
        #expect(try await coordinator.store.workers().isEmpty)
        #expect(try await coordinator.call("GET", "/metrics", token: nil).status == 401)
        await coordinator.stop()
    }

    @Test func badRequestsNameTheProblem() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory, maxBodyBytes: 4096)
        let malformed = try await coordinator.call("POST", "/v1/experiments", body: Data(#"{"spec": "#.utf8))
        #expect(malformed.status == 400)
        #expect(try decoded(ErrorBody.self, malformed.body) .field == "body")
        #expect(try decoded(ErrorBody.self, malformed.body).error == "malformed_json")

        var object = try JSONSerialization.jsonObject(
            with: try WireJSON.encoder().encode(SubmitRequest(spec: needleSpec()))) as! [String: Any]
        var spec = object["spec"] as! [String: Any]
        spec["colour"] = "red"
        object["spec"] = spec
        let unknown = try await coordinator.call("POST", "/v1/experiments",
                                                 body: try JSONSerialization.data(withJSONObject: object))
        #expect(unknown.status == 400)
        #expect(try decoded(ErrorBody.self, unknown.body) == ErrorBody(
            error: "unknown_field", field: "spec.colour", message: "unknown field 'spec.colour'"))

        // A policy name outside the vocabulary fails decoding, naming the field and the known names.
        object = try JSONSerialization.jsonObject(
            with: try WireJSON.encoder().encode(SubmitRequest(spec: needleSpec()))) as! [String: Any]
        spec = object["spec"] as! [String: Any]
        var policies = spec["policies"] as! [[String: Any]]
        policies[0]["name"] = "snapk"
        spec["policies"] = policies
        object["spec"] = spec
        let unknownPolicy = try await coordinator.call("POST", "/v1/experiments",
                                                       body: try JSONSerialization.data(withJSONObject: object))
        #expect(unknownPolicy.status == 400)
        #expect(try decoded(ErrorBody.self, unknownPolicy.body) == ErrorBody(
            error: "invalid_value", field: "spec.policies[0].name",
            message: "spec.policies[0].name: unknown policy 'snapk'; known: \(PolicyConfig.Name.knownValues)"))

        let invalid = try await coordinator.call("POST", "/v1/experiments",
                                                 json: SubmitRequest(spec: needleSpec(budgets: [0])))
        #expect(invalid.status == 400)
        #expect(try decoded(ErrorBody.self, invalid.body).field == "spec.budgets[0]")

        let oversized = try await coordinator.call("POST", "/v1/experiments", body: Data(repeating: 32, count: 5000))
        #expect(oversized.status == 413)
        #expect(try decoded(ErrorBody.self, oversized.body).field == "body")

        let unknownExperiment = try await coordinator.call("GET", "/v1/experiments/exp-nope")
        #expect(unknownExperiment.status == 404)
        #expect(try decoded(ErrorBody.self, unknownExperiment.body).field == "experiment")

        let unknownJob = try await coordinator.call("POST", "/v1/jobs/999/heartbeat", token: workerToken,
                                                    json: HeartbeatRequest(token: "t", samplesDone: 0))
        #expect(unknownJob.status == 404)
        #expect(try decoded(ErrorBody.self, unknownJob.body).field == "job_id")

        let badJob = try await coordinator.call("GET", "/v1/jobs/abc/samples", token: workerToken)
        #expect(badJob.status == 400)
        #expect(try decoded(ErrorBody.self, badJob.body).field == "job_id")

        let unknownRoute = try await coordinator.call("GET", "/v1/nothing-here")
        #expect(unknownRoute.status == 404)
        #expect(try decoded(ErrorBody.self, unknownRoute.body).field == "path")

        // A method the path does not have: 405 with the methods it does have (RFC 9110).
        var delete = URLRequest(url: coordinator.baseURL.appendingPathComponent("/v1/experiments"))
        delete.httpMethod = "DELETE"
        delete.setValue("Bearer \(adminToken)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: delete)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 405)
        #expect(http.value(forHTTPHeaderField: "Allow") == "POST, GET")
        #expect(try decoded(ErrorBody.self, body).field == "method")

        let badBlob = try await coordinator.call("GET", "/v1/blobs/xyz", token: workerToken)
        #expect(badBlob.status == 400)
        #expect(try decoded(ErrorBody.self, badBlob.body).field == "sha256")

        // A worker build that sent engine_versions as a list is told what to send and to upgrade.
        let listVersions = #"{"engine_versions":["0.2.0","0.3.0"],"hardware":{"cpu":"c","dtype":"fp32","engine_version":"0.2.0","threads":2},"models":[],"worker_id":"w"}"#
        let oldWorker = try await coordinator.call("POST", "/v1/leases", token: workerToken, body: Data(listVersions.utf8))
        #expect(oldWorker.status == 400)
        let refusal = try decoded(ErrorBody.self, oldWorker.body)
        #expect(refusal.field == "engine_versions")
        #expect(refusal.message.contains("must be an object from mode to version") && refusal.message.contains("upgrade the worker"),
                "\(refusal.message)")
        await coordinator.stop()
    }

    @Test func sweepRunsOverHTTPFromSubmitToResults() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let submitRequest = SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64, 128]))
        let created = try await coordinator.call("POST", "/v1/experiments", json: submitRequest)
        #expect(created.status == 201)
        let submitted = try decoded(SubmitResponse.self, created.body)
        #expect(submitted.jobsCreated == 2 && submitted.jobsExisting == 0)
        let again = try await coordinator.call("POST", "/v1/experiments", json: submitRequest)
        #expect(again.status == 200)
        #expect(try decoded(SubmitResponse.self, again.body)
                == SubmitResponse(experiment: submitted.experiment, jobsCreated: 0, jobsExisting: 2))

        for worker in ["w1", "w2"] {
            let leased = try await coordinator.call("POST", "/v1/leases", token: workerToken, json: leaseRequest(worker))
            #expect(leased.status == 200)
            let lease = try #require(try decoded(LeaseResponse.self, leased.body).lease)
            let samples = try decoded(SampleList.self, try await coordinator.call(
                "GET", "/v1/jobs/\(lease.jobId)/samples", token: workerToken).body)
            #expect(samples.samples.map(\.id) == lease.pendingSampleIds)
            let beat = try await coordinator.call("POST", "/v1/jobs/\(lease.jobId)/heartbeat", token: workerToken,
                                                  json: HeartbeatRequest(token: lease.token, samplesDone: 0))
            #expect(try decoded(HeartbeatResponse.self, beat.body).cancel == false)
            for sample in samples.samples {
                let post = PredictionPost(token: lease.token, result: sampleResult(sample.id))
                let first = try await coordinator.call("POST", "/v1/jobs/\(lease.jobId)/predictions",
                                                       token: workerToken, json: post)
                #expect(try decoded(PredictionAck.self, first.body).stored)
                let repeatPost = try await coordinator.call("POST", "/v1/jobs/\(lease.jobId)/predictions",
                                                            token: workerToken, json: post)
                #expect(repeatPost.status == 200)
                #expect(try decoded(PredictionAck.self, repeatPost.body).stored == false)
            }
            let stale = try await coordinator.call(
                "POST", "/v1/jobs/\(lease.jobId)/predictions", token: workerToken,
                json: PredictionPost(token: "stale", result: sampleResult(samples.samples[0].id)))
            #expect(stale.status == 409)
            #expect(try decoded(ErrorBody.self, stale.body).error == "stale_lease")
            let done = try await coordinator.call("POST", "/v1/jobs/\(lease.jobId)/complete", token: workerToken,
                                                  json: CompleteRequest(token: lease.token))
            #expect(try decoded(JobStateResponse.self, done.body).state == "done")
        }
        let none = try await coordinator.call("POST", "/v1/leases", token: workerToken, json: leaseRequest("w1"))
        #expect(String(decoding: none.body, as: UTF8.self) == "{}")

        let status = try decoded(ExperimentStatus.self, try await coordinator.call(
            "GET", "/v1/experiments/\(submitted.experiment)").body)
        #expect(status.jobs == JobCounts(done: 2))
        #expect(status.samples == SampleCounts(done: 12, total: 12))
        #expect(status.etaSeconds == 0)
        let results = try decoded(ExperimentResults.self, try await coordinator.call(
            "GET", "/v1/experiments/\(submitted.experiment)/results").body)
        #expect(results.jobs.map(\.predictions.count) == [6, 6])
        let workers = try decoded(WorkerList.self, try await coordinator.call("GET", "/v1/workers").body)
        #expect(workers.workers.map(\.id) == ["w1", "w2"])
        #expect(workers.workers.map(\.jobsDone) == [1, 1])
        let metrics = String(decoding: try await coordinator.call("GET", "/metrics", token: workerToken).body,
                             as: UTF8.self)
        #expect(metrics.contains(#"pyramidkv_jobs{state="done"} 2"#))
        #expect(metrics.contains("pyramidkv_predictions_total 12"))
        #expect(metrics.contains(#"pyramidkv_http_requests_total{route="POST /v1/jobs/{job_id}/predictions",status="409"} 2"#))
        func counter(_ name: String) -> Int? {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ")[1]) }
        }
        // Every lease, post and complete above was a write (12 posts alone); none shared a batch
        // with a later one of the same client, so there are at least as many writes as transactions.
        let writes = try #require(counter("pyramidkv_store_writes_total"))
        let transactions = try #require(counter("pyramidkv_store_write_transactions_total"))
        #expect(writes >= 12 && transactions >= 1 && transactions <= writes, "\(writes) writes, \(transactions) transactions")
        await coordinator.stop()
    }

    @Test func expiredLeaseIsSweptOnTheTimerAndReleasedToAnotherWorker() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory, leaseSeconds: 0.3,
                                                             sweepIntervalSeconds: 0.05)
        _ = try await coordinator.call("POST", "/v1/experiments",
                                       json: SubmitRequest(spec: needleSpec(policies: [.snapkv], budgets: [64])))
        let first = try #require(try decoded(LeaseResponse.self, try await coordinator.call(
            "POST", "/v1/leases", token: workerToken, json: leaseRequest("w1")).body).lease)
        // The sweep timer, not the next lease call, puts the job back. Polled rather than slept
        // for: on a loaded machine the timer may run late, and that is not what is tested.
        let deadline = ContinuousClock.now + .seconds(20)
        var queued = 0
        repeat {
            try await Task.sleep(for: .milliseconds(100))
            queued = try await coordinator.store.experiments()[0].jobs.queued
        } while queued == 0 && ContinuousClock.now < deadline
        #expect(queued == 1)
        let second = try #require(try decoded(LeaseResponse.self, try await coordinator.call(
            "POST", "/v1/leases", token: workerToken, json: leaseRequest("w2")).body).lease)
        #expect(second.jobId == first.jobId)
        #expect(second.attempt == 2)
        let late = try await coordinator.call("POST", "/v1/jobs/\(first.jobId)/heartbeat", token: workerToken,
                                              json: HeartbeatRequest(token: first.token, samplesDone: 1))
        #expect(late.status == 409)
        await coordinator.stop()
    }

    @Test func blobsRoundTripByContentAddress() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let bytes = Data("Paul Graham essays…".utf8)
        let address = ContentHash.sha256Hex(bytes)
        #expect(try await coordinator.call("PUT", "/v1/blobs/\(address)", body: bytes).status == 201)
        let fetched = try await coordinator.call("GET", "/v1/blobs/\(address)", token: workerToken)
        #expect(fetched.status == 200 && fetched.body == bytes)
        let mismatch = try await coordinator.call("PUT", "/v1/blobs/\(String(repeating: "0", count: 64))", body: bytes)
        #expect(mismatch.status == 400)
        #expect(try await coordinator.call("GET", "/v1/blobs/\(String(repeating: "1", count: 64))",
                                           token: workerToken).status == 404)
        await coordinator.stop()
    }

    @Test func openAPIDocumentListsExactlyTheServedRoutes() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema/openapi.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        var documented = Set<String>()
        var currentPath: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths && !line.hasPrefix(" ") && !line.isEmpty { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    ") && !line.hasPrefix("     "), let path = currentPath {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        #expect(documented == Set(APIRoutes.served.map { "\($0.method) \($0.path)" }))
    }
}
