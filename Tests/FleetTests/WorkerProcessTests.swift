import FleetCore
import Foundation
import KVEngine
import PolicySpec
import Testing
import Worker
import TestSupport
import Assets

/// The fleet as users run it: a coordinator process and `pyramidkv worker` processes running
/// the real model on loopback. Needs the built binary and the fetched default model.
@Suite(.serialized)
struct WorkerProcessTests {
    let directory: TemporaryDirectory

    /// Missing prerequisites fail every test here with what is missing (never a silent skip).
    init() throws {
        try CLIProcessError.requireBinary()
        try FleetAssets.requireModelAndHaystack()
        directory = try TemporaryDirectory()
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func cli(_ arguments: [String], _ coordinator: CoordinatorProcess) throws -> String {
        let run = try PyramidKVExecutable.run(arguments, environment: ["PYRAMIDKV_TOKEN": adminToken,
                                                                       "PYRAMIDKV_COORDINATOR": coordinator.url])
        #expect(run.status == 0, "pyramidkv \(arguments.joined(separator: " ")): \(run.stderr)")
        return run.stdout
    }

    func admin(_ coordinator: CoordinatorProcess) -> AdminClient {
        AdminClient(connection: CoordinatorConnection(
            endpoint: CoordinatorEndpoint(baseURL: URL(string: coordinator.url)!, token: adminToken),
            retry: RetryPolicy(maxAttempts: 20, initialDelaySeconds: 0.1, maxDelaySeconds: 0.5)))
    }

    /// Polls until `condition` holds for the experiment's status (or fails after `seconds`).
    func waitFor(_ experiment: String, _ coordinator: CoordinatorProcess, seconds: Double, _ what: String,
                 _ condition: (ExperimentStatus) -> Bool) async throws -> ExperimentStatus {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let status = try await admin(coordinator).experiment(experiment)
            if condition(status) { return status }
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what): \(status)")
                return status
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    @Test func twoWorkerProcessesCompleteASweepAndTheResultsShowIt() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        let submitted = try json(try cli(["submit", "needle", "--json", "--protocol", "chat", "--policies", "fullkv,snapkv",
                                          "--budgets", "64", "--lengths", "200,400", "--depths", "0,100",
                                          "--shard-tokens", "600"], coordinator))
        let experiment = try #require(submitted["experiment"] as? String)
        let jobs = try #require(submitted["jobs_created"] as? Int)
        #expect(jobs >= 4)  // 2 policies × ≥ 2 shards of the 4 cells

        let workers = try ["w1", "w2"].map {
            try WorkerProcess(directory: directory, coordinator: coordinator, id: $0, exitWhenIdle: true)
        }
        for worker in workers {
            #expect(await worker.exitStatus(within: 600) == 0, "\(worker.id) log:\n\(worker.log)")
        }

        let status = try json(try cli(["status", experiment, "--json"], coordinator))
        #expect(status["jobs"] as? [String: Int] == ["queued": 0, "leased": 0, "done": jobs, "dead": 0, "cancelled": 0])
        #expect(status["samples"] as? [String: Int] == ["done": 8, "total": 8])
        let fleet = try json(try cli(["workers", "--json"], coordinator))
        let done = try #require(fleet["workers"] as? [[String: Any]]).map { ($0["id"] as? String ?? "", $0["jobs_done"] as? Int ?? 0) }
        #expect(done.map(\.0).sorted() == ["w1", "w2"])
        #expect(done.map(\.1).reduce(0, +) == jobs)
        #expect(done.allSatisfy { $0.1 >= 1 }, "both workers ran jobs: \(done)")

        // The workers posted scores with their predictions: no rescore step before the views.
        let table = try json(try cli(["results", "table", experiment, "--format", "json"], coordinator))
        #expect(table["title"] as? String == "needle (chat protocol)")
        #expect(table["unscored"] as? Int == 0)
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.compactMap { $0["policy"] as? String }.sorted() == ["fullkv", "snapkv"])
        for row in rows {
            let average = try #require(row["average"] as? [String: Any])
            let cell = try #require((row["cells"] as? [String: Any])?["needle"] as? [String: Any])
            let score = try #require(cell["score"] as? Double)
            #expect((0...100).contains(score))
            #expect(cell["n"] as? Int == 4 && average["n"] as? Int == 4)
            #expect((cell["ci_low"] as? Double ?? 101) <= score && score <= (cell["ci_high"] as? Double ?? -1))
        }
        #expect(try cli(["status", experiment], coordinator).contains("running scores (needle (chat protocol)): "))
        let heatmap = try json(try cli(["results", "heatmap", experiment, "--policy", "snapkv", "--budget", "64",
                                        "--format", "json"], coordinator))
        let cells = try #require(heatmap["cells"] as? [[String: Any]])
        #expect(Set(cells.compactMap { "\($0["length"] ?? "")@\($0["depth"] ?? "")" })
                == ["200@0", "200@100", "400@0", "400@100"])
        #expect(heatmap["overall"] is Double)
        #expect(cells.allSatisfy { $0["n"] as? Int == 1 && $0["ci_low"] is Double && $0["ci_high"] is Double })
        let svg = directory.path("snapkv.svg")
        _ = try cli(["results", "heatmap", experiment, "--policy", "snapkv", "--budget", "64", "--out", svg], coordinator)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
        #expect(coordinator.terminate().status == 0)
    }

    /// The numerics mode is a job field: the same sweep in fast mode is new jobs with new keys,
    /// a worker runs each job in its own mode, and every result records the mode it ran in.
    @Test func exactAndFastJobsNeverMixAndRecordTheirMode() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        let sweep = ["submit", "needle", "--json", "--protocol", "chat", "--policies", "snapkv", "--budgets", "64",
                     "--lengths", "300", "--depths", "50:50:1"]
        let exact = try json(try cli(sweep, coordinator))
        let fast = try json(try cli(sweep + ["--activations", "int8"], coordinator))
        let again = try json(try cli(sweep + ["--activations", "f32"], coordinator))
        #expect(exact["jobs_created"] as? Int == 1 && fast["jobs_created"] as? Int == 1)
        #expect(again["jobs_created"] as? Int == 0, "f32 named is the default mode: the same job")

        let worker = try WorkerProcess(directory: directory, coordinator: coordinator, id: "w1", exitWhenIdle: true)
        #expect(await worker.exitStatus(within: 300) == 0, "worker log:\n\(worker.log)")
        var keys: [String] = []
        for (submitted, mode, dtype) in [(exact, nil as ActivationPrecision?, "fp32"), (fast, .int8, "int8")] {
            let results = try await admin(coordinator).results(try #require(submitted["experiment"] as? String))
            let job = try #require(results.jobs.first)
            keys.append(job.key.hex)
            #expect(job.spec.activations == mode)
            #expect(job.predictions.count == 1)
            #expect(job.predictions.allSatisfy { $0.result.hardware.dtype == dtype }, "\(dtype) job's results")
        }
        #expect(Set(keys).count == 2)
        #expect(coordinator.terminate().status == 0)
    }

    /// `submit needle --question after-compression`: its own jobs, its own title, and a cache
    /// that holds the question's rows after the budget (the context was compressed without it).
    @Test func questionAfterCompressionRunsAsItsOwnProtocol() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        var submitted: [String: String] = [:]
        for timing in ["aware", "after-compression"] {
            let response = try json(try cli(["submit", "needle", "--json", "--protocol", "chat", "--policies", "snapkv",
                                             "--budgets", "64", "--lengths", "400", "--depths", "0,100", "--question", timing],
                                            coordinator))
            submitted[timing] = try #require(response["experiment"] as? String)
            #expect(response["jobs_created"] as? Int == 1)
        }
        let worker = try WorkerProcess(directory: directory, coordinator: coordinator, id: "w1", exitWhenIdle: true)
        #expect(await worker.exitStatus(within: 300) == 0, "worker log:\n\(worker.log)")
        let aware = try await admin(coordinator).results(try #require(submitted["aware"]))
        let after = try await admin(coordinator).results(try #require(submitted["after-compression"]))
        #expect(after.jobs.first?.spec.question == .afterCompression && aware.jobs.first?.spec.question == nil)
        #expect(after.jobs.first?.state == "done" && after.jobs.first?.predictions.count == 2)
        let table = try cli(["results", "table", try #require(submitted["after-compression"])], coordinator)
        #expect(table.contains("needle (chat protocol, question after compression)"), "\(table)")
        for (a, b) in zip(aware.jobs.flatMap(\.predictions), after.jobs.flatMap(\.predictions)) {
            #expect(a.result.promptTokens == b.result.promptTokens)
            #expect(b.result.kvBytes > a.result.kvBytes, "the question's rows join the compressed cache")
        }
        #expect(coordinator.terminate().status == 0)
    }

    /// `submit longbench --datasets ruler_vt --question after-compression`: RULER's prompt splits
    /// where its question starts; the question's rows join the compressed cache, the table says so.
    @Test func rulerRunsQuestionAfterCompression() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        let data = directory.path("ruler")
        let generated = try PyramidKVExecutable.run(["ruler", "generate", "--tasks", "vt", "--max-seq-length", "1024",
                                                     "--samples", "2", "--out", data])
        #expect(generated.status == 0, "\(generated.stderr)")
        var submitted: [String: String] = [:]
        for timing in ["aware", "after-compression"] {
            let response = try json(try cli(["submit", "longbench", "--json", "--data", data, "--datasets", "ruler_vt",
                                             "--policies", "snapkv", "--budgets", "128", "--question", timing], coordinator))
            submitted[timing] = try #require(response["experiment"] as? String)
        }
        let worker = try WorkerProcess(directory: directory, coordinator: coordinator, id: "w1", exitWhenIdle: true)
        #expect(await worker.exitStatus(within: 300) == 0, "worker log:\n\(worker.log)")
        let aware = try await admin(coordinator).results(try #require(submitted["aware"]))
        let after = try await admin(coordinator).results(try #require(submitted["after-compression"]))
        #expect(after.jobs.allSatisfy { $0.state == "done" && $0.spec.question == .afterCompression }, "worker log:\n\(worker.log)")
        let a = aware.jobs.flatMap(\.predictions), b = after.jobs.flatMap(\.predictions)
        #expect(a.count == 2 && b.count == 2)
        for (x, y) in zip(a, b) {
            #expect(x.result.promptTokens == y.result.promptTokens)
            // vt's question and answer prefix (~60 tokens) enter after the 128 kept.
            let extra = y.result.kvBytes - x.result.kvBytes
            #expect(extra > 0, "the question's rows join the compressed cache")
        }
        let table = try cli(["results", "table", try #require(submitted["after-compression"])], coordinator)
        #expect(table.contains("RULER (LongBench record format, question after compression)"), "\(table)")
        #expect(coordinator.terminate().status == 0)
    }

    /// `questions: k` through real processes: `ruler generate --questions 3`, then the same six
    /// records (two haystacks × three questions) three ways. Question-aware with `--questions 3`
    /// the follow-ups run on their lead's compressed prompt, so the worker's prefill of the lead
    /// serves them (no prefill of their own) and the leads answer exactly as without it; after
    /// compression every question meets the same compressed context, so the caches differ by the
    /// question and answer rows alone.
    @Test func rulerFollowUpsRunOnTheLeadsCompressedCache() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        let data = directory.path("ruler")
        let generated = try PyramidKVExecutable.run(["ruler", "generate", "--tasks", "niah_multikey_2", "--max-seq-length", "1024",
                                                     "--samples", "2", "--questions", "3", "--out", data])
        #expect(generated.status == 0, "\(generated.stderr)")
        var submitted: [String: String] = [:]
        for (name, extra) in [("reuse", ["--questions", "3"]), ("fresh", []),
                              ("after", ["--questions", "3", "--question", "after-compression"])] {
            let response = try json(try cli(["submit", "longbench", "--json", "--data", data, "--datasets", "ruler_niah_multikey_2",
                                             "--policies", "snapkv", "--budgets", "64", "--layout", "kv_head"] + extra, coordinator))
            submitted[name] = try #require(response["experiment"] as? String)
        }
        let worker = try WorkerProcess(directory: directory, coordinator: coordinator, id: "w1", exitWhenIdle: true)
        #expect(await worker.exitStatus(within: 300) == 0, "worker log:\n\(worker.log)")
        func predictions(_ name: String) async throws -> [String: PredictionRecord] {
            let results = try await admin(coordinator).results(try #require(submitted[name]))
            #expect(results.jobs.allSatisfy { $0.state == "done" }, "worker log:\n\(worker.log)")
            #expect(results.jobs.allSatisfy { $0.spec.questions == (name == "fresh" ? nil : 3) })
            return Dictionary(uniqueKeysWithValues: try results.jobs.flatMap(\.predictions).map {
                (try #require($0.sample.recordId), $0)
            })
        }
        let reuse = try await predictions("reuse"), fresh = try await predictions("fresh"), after = try await predictions("after")
        #expect(reuse.count == 6 && fresh.count == 6 && after.count == 6)
        let c = try ModelConfig(gguf: try GGUFFile(path: DefaultAssets.modelPath))
        let rowBytes = c.layers * 2 * c.kvDim * MemoryLayout<Float>.size
        for i in 0..<2 {
            let lead = "niah_multikey_2-\(i)"
            let a = try #require(reuse[lead]), b = try #require(fresh[lead])
            #expect(a.result.prediction == b.result.prediction && a.result.kvBytes == b.result.kvBytes, "the lead runs as RULER's record")
            for q in 2...3 {
                let id = "\(lead)-q\(q)"
                let f = try #require(after[id]), l = try #require(after[lead])
                let rows = (f.result.promptTokens + f.result.generatedTokens) - (l.result.promptTokens + l.result.generatedTokens)
                #expect(f.result.kvBytes - l.result.kvBytes == rows * rowBytes, "\(id): one compressed context under every question")
            }
        }
        // The reuse experiment ran first: its follow-ups found their lead's prefill.
        let reuseLines = worker.log.split(separator: "\n").filter { $0.contains("tokens") }.prefix(6)
        #expect(reuseLines.enumerated().allSatisfy { ($0.offset % 3 == 0) != $0.element.contains("prefill shared") },
                "worker log:\n\(worker.log)")
        let table = try cli(["results", "table", try #require(submitted["reuse"])], coordinator)
        #expect(table.contains("3 questions on the cache compressed for the first"), "\(table)")
        let compare = try cli(["results", "compare", try #require(submitted["reuse"]), "--against", try #require(submitted["fresh"])],
                              coordinator)
        #expect(compare.contains("| snapkv@64 | 6 |"), "\(compare)")
        // The leads answer as RULER's own records under both protocols: Δ = 0 on each.
        let leads = try cli(["results", "compare", try #require(submitted["reuse"]), "--against", try #require(submitted["fresh"]),
                             "--questions", "leads"], coordinator)
        #expect(leads.contains("(lead questions only)") && leads.contains("| snapkv@64 | 2 |") && leads.contains("[+0.00, +0.00] | 0 / 0 / 2 |"),
                "\(leads)")
        let followUps = try cli(["results", "compare", try #require(submitted["reuse"]), "--against", try #require(submitted["fresh"]),
                                 "--questions", "follow-ups"], coordinator)
        #expect(followUps.contains("(follow-up questions only)") && followUps.contains("| snapkv@64 | 4 |"), "\(followUps)")
        #expect(coordinator.terminate().status == 0)
    }

    /// `submit longbench --config F`: the job carries F's template, new-token limit and chat
    /// rule, and the worker runs it as submitted (it once refused every template that differed
    /// from its bundled config).
    @Test func aLongBenchJobFromAUserConfigRunsAsSubmitted() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/KVEval/Resources/longbench-config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: bundled)) as? [String: Any])
        var prompts = try #require(config["dataset2prompt"] as? [String: String])
        var lengths = try #require(config["dataset2maxlen"] as? [String: Int])
        prompts["hotpotqa"] = "Read: {context}\nQ: {input}\nA:"
        lengths["hotpotqa"] = 3
        config["dataset2prompt"] = prompts
        config["dataset2maxlen"] = lengths
        let configPath = directory.path("custom-config.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let data = directory.path("lb")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let records = (1...2).map { i in
            #"{"input": "Who wrote it?", "context": "The letter was written by Ada \#(i) in the spring.", "answers": ["Ada"], "length": 12, "dataset": "hotpotqa", "language": "en", "all_classes": null, "_id": "c\#(i)"}"#
        }
        try (records.joined(separator: "\n") + "\n").write(toFile: data + "/hotpotqa.jsonl", atomically: true, encoding: .utf8)
        let submitted = try json(try cli(["submit", "longbench", "--json", "--data", data, "--datasets", "hotpotqa",
                                          "--config", configPath, "--policies", "fullkv", "--budgets", "64"], coordinator))
        let experiment = try #require(submitted["experiment"] as? String)
        let worker = try WorkerProcess(directory: directory, coordinator: coordinator, id: "w1", exitWhenIdle: true)
        #expect(await worker.exitStatus(within: 300) == 0, "worker log:\n\(worker.log)")
        let results = try await admin(coordinator).results(experiment)
        let job = try #require(results.jobs.first)
        #expect(job.state == "done", "worker log:\n\(worker.log)")
        #expect(job.spec.promptTemplate == prompts["hotpotqa"] && job.spec.maxNewTokens == 3)
        #expect(job.predictions.count == 2)
        // The custom limit bounds every answer; the short custom prompt is what ran.
        #expect(job.predictions.allSatisfy { $0.result.generatedTokens <= 3 && $0.result.promptTokens < 60 })
        #expect(coordinator.terminate().status == 0)
    }

    @Test func anUploadedHaystackIsFetchedByTheWorkerAndUsed() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory)
        // A haystack of our own: three of the essays, concatenated (any UTF-8 text would do).
        let names = try FileManager.default.contentsOfDirectory(atPath: DefaultAssets.haystackDirectory)
            .filter { $0.hasSuffix(".txt") }.sorted().prefix(3)
        var text = ""
        for name in names {
            text += try String(contentsOfFile: DefaultAssets.haystackDirectory + "/" + name, encoding: .utf8)
        }
        let file = directory.path("haystack.txt")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let sha256 = ContentHash.sha256Hex(Array(text.utf8))
        let submitted = try json(try cli(["submit", "needle", "--json", "--haystack", file, "--policies", "snapkv",
                                          "--budgets", "64", "--lengths", "200", "--depths", "50:50:1"], coordinator))
        let experiment = try #require(submitted["experiment"] as? String)

        let worker = try WorkerProcess(directory: directory, coordinator: coordinator, id: "w1", exitWhenIdle: true)
        #expect(await worker.exitStatus(within: 300) == 0, "worker log:\n\(worker.log)")
        #expect(worker.log.contains("haystack blob:\(sha256) (\(text.utf8.count) bytes)"), "worker log:\n\(worker.log)")
        let status = try await admin(coordinator).experiment(experiment)
        #expect(status.samples == SampleCounts(done: 1, total: 1))
        #expect(status.jobs.done == 1)
        #expect(coordinator.terminate().status == 0)
    }

    @Test func killedWorkersJobExpiresAndAnotherWorkerFinishesItWithOnePredictionPerSample() async throws {
        let coordinator = try await CoordinatorProcess(directory: directory, leaseSeconds: 3)
        let submitted = try json(try cli(["submit", "needle", "--json", "--policies", "snapkv", "--budgets", "64",
                                          "--lengths", "200,300", "--depths", "0,50,100"], coordinator))
        let experiment = try #require(submitted["experiment"] as? String)
        #expect(submitted["jobs_created"] as? Int == 1)

        let doomed = try WorkerProcess(directory: directory, coordinator: coordinator, id: "doomed", exitWhenIdle: false)
        let midJob = try await waitFor(experiment, coordinator, seconds: 300, "a first prediction") {
            $0.samples.done >= 1
        }
        doomed.kill()
        #expect(midJob.samples.done < 6, "the worker must die mid-job")
        let postedBeforeKill = try await admin(coordinator).experiment(experiment).samples.done

        let rescuer = try WorkerProcess(directory: directory, coordinator: coordinator, id: "rescuer", exitWhenIdle: false)
        let finished = try await waitFor(experiment, coordinator, seconds: 300, "the job to finish") {
            $0.jobs.done == 1
        }
        #expect(finished.samples == SampleCounts(done: 6, total: 6))
        #expect(await rescuer.terminate(within: 30) == 0, "rescuer log:\n\(rescuer.log)")
        #expect(rescuer.log.contains("stopped after 1 job"))

        let job = try #require(try await admin(coordinator).results(experiment).jobs.first)
        #expect(job.state == "done")
        #expect(job.predictions.count == 6)
        #expect(Set(job.predictions.map(\.sampleId)).count == 6, "one prediction per sample")
        let byWorker = Dictionary(grouping: job.predictions, by: \.workerId).mapValues(\.count)
        #expect(byWorker["doomed"] == postedBeforeKill, "what the dead worker posted is kept")
        #expect(byWorker["rescuer"] == 6 - postedBeforeKill, "the rescuer ran only the samples still missing")
        #expect(coordinator.terminate().status == 0)
    }

    @Test func aWorkerProcessRidesOutACoordinatorKillAndRestartAndTheSweepCompletes() async throws {
        let first = try await CoordinatorProcess(directory: directory)
        let submitted = try json(try cli(["submit", "needle", "--json", "--policies", "snapkv", "--budgets", "64",
                                          "--lengths", "200,300", "--depths", "0,50,100"], first))
        let experiment = try #require(submitted["experiment"] as? String)
        let worker = try WorkerProcess(directory: directory, coordinator: first, id: "w1", exitWhenIdle: false)
        _ = try await waitFor(experiment, first, seconds: 300, "two predictions") { $0.samples.done >= 2 }
        let accepted = try #require(try await admin(first).results(experiment).jobs.first).predictions
        first.kill()
        try await Task.sleep(for: .seconds(1))  // the worker meets a dead port for a while

        let second = try await CoordinatorProcess(directory: directory, port: first.port)
        let finished = try await waitFor(experiment, second, seconds: 300, "the sweep to finish") { $0.jobs.done == 1 }
        #expect(finished.samples == SampleCounts(done: 6, total: 6))
        let job = try #require(try await admin(second).results(experiment).jobs.first)
        #expect(Set(job.predictions.map(\.sampleId)).count == 6)
        for before in accepted {
            let after = job.predictions.first { $0.sampleId == before.sampleId }
            #expect(after?.result == before.result, "accepted before the kill, kept as it was")
        }
        #expect(await worker.terminate(within: 30) == 0, "worker log:\n\(worker.log)")
        #expect(second.terminate().status == 0)
    }
}
