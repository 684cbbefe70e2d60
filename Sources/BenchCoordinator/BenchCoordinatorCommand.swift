import ArgumentParser
import Coordinator
import FleetCore
import Foundation
import NIOPosix
import PolicySpec
import Worker

/// `pyramidkv bench coordinator`: simulated workers run lease → post → complete cycles against
/// a coordinator on loopback (by default the daemon as a child process; real HTTP, a real SQLite
/// file). Baseline in the same run: GET /healthz from the same clients, which costs HTTP but no
/// database work.
public struct BenchCoordinatorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Lease+post+complete cycles/s and latency with N simulated workers on loopback.")

    @Option(help: "Simulated workers.") var workers = 50
    @Option(help: "Jobs (one sample each) to run through.") var jobs = 5_000
    @Option(help: "Seconds of /healthz baseline.") var baselineSeconds = 3.0
    @Option(help: "SQLite file (default: a new file in the temp directory).") var db: String?
    @Option(help: "Bench a running coordinator at this URL instead of starting one.")
    var coordinator: String?
    @Option(help: "With --coordinator: its admin token file.") var adminTokenFile: String?
    @Option(help: "With --coordinator: its worker token file.") var workerTokenFile: String?
    @Option(help: "Simulated workers' HTTP client: lean (a SwiftNIO load generator, like wrk, so the coordinator gets the CPU) or worker (the worker's own libcurl-based client).")
    var client: BenchClient = .lean
    @Flag(help: "Run the coordinator inside this process (sharing its event loops) instead of as a child process.")
    var inProcess = false
    @Flag(help: "Also time the same cycles straight on the store (no HTTP, no JSON on the wire): the database's share.")
    var storeOnly = false

    public init() {}

    public func run() async throws {
        if storeOnly { try await measureStoreOnly() }
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = db ?? directory.appendingPathComponent("bench.sqlite").path
        let target: BenchTarget
        var serverTask: Task<Void, any Error>?
        var child: BenchCoordinatorProcess?
        if let coordinator {
            guard let url = URL(string: coordinator), let adminTokenFile, let workerTokenFile else {
                throw ValidationError("--coordinator needs a URL, --admin-token-file and --worker-token-file")
            }
            target = BenchTarget(base: url, tokens: try APITokens(
                admin: try CoordinatorConfiguration.readToken(file: adminTokenFile, role: "admin"),
                worker: try CoordinatorConfiguration.readToken(file: workerTokenFile, role: "worker")),
                                 description: "running at \(url)", coordinatorCPU: nil)
        } else if inProcess {
            let tokens = try APITokens(admin: UUID().uuidString, worker: UUID().uuidString)
            let local = try CoordinatorStore(path: path, leaseSeconds: 60)
            let server = CoordinatorServer(store: local, configuration: CoordinatorConfiguration(
                host: "127.0.0.1", port: 0, tokens: tokens))
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            serverTask = Task { try await server.run(handleSignals: false) { continuation.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw BenchError("the coordinator did not start") }
            target = BenchTarget(base: URL(string: "http://127.0.0.1:\(port)")!, tokens: tokens,
                                 description: "in this process, db \(path)", coordinatorCPU: nil)
        } else {
            let tokens = try APITokens(admin: UUID().uuidString, worker: UUID().uuidString)
            let adminFile = directory.appendingPathComponent("admin.token").path
            let workerFile = directory.appendingPathComponent("worker.token").path
            try tokens.adminToken.write(toFile: adminFile, atomically: true, encoding: .utf8)
            try tokens.workerToken.write(toFile: workerFile, atomically: true, encoding: .utf8)
            let process = try await BenchCoordinatorProcess(database: path, adminTokenFile: adminFile,
                                                            workerTokenFile: workerFile)
            child = process
            target = BenchTarget(base: URL(string: "http://127.0.0.1:\(process.port)")!, tokens: tokens,
                                 description: "child process `pyramidkv coordinator`, db \(path)",
                                 coordinatorCPU: { try process.cpuSeconds() })
        }
        defer {
            serverTask?.cancel()
            child?.stop()
        }
        try await measure(target)
    }

    private func measure(_ target: BenchTarget) async throws {
        let base = target.base
        let tokens = target.tokens
        // Each connection value holds its own keep-alive connection, as a worker process would.
        func connection(_ token: String) -> CoordinatorConnection {
            CoordinatorConnection(endpoint: CoordinatorEndpoint(baseURL: base, token: token), retry: .none)
        }
        let model = String(repeating: "0", count: 64)
        // A fresh policy name per run, so a reused coordinator gets new jobs.
        // A fresh budget per run, so a reused coordinator gets new jobs (submit accepts only
        // known policy names, so the name cannot carry the run's identity).
        let policy = PolicyConfig(name: .fullkv)
        let submitted = try await AdminClient(connection: connection(tokens.adminToken))
            .submit(SubmitRequest(spec: sweep(model: model, policy: policy, budget: Int.random(in: 64...1 << 30))))
        print("bench: \(submitted.jobsCreated) new jobs, \(workers) workers (\(client.rawValue) client), "
              + "coordinator at \(base) (\(target.description))")
        let hardware = HardwareClass(cpu: "bench", threads: 1, dtype: "none")
        let request = LeaseRequest(workerId: "bench", hardware: hardware, models: [model])

        let baseline: Double
        let started: ContinuousClock.Instant
        let cpuBefore: (this: Double, coordinator: Double)
        let latencies: CycleLatencies
        switch client {
        case .lean:
            guard base.scheme == "http", let host = base.host else {
                throw ValidationError("--client lean speaks plain HTTP to host:port; use --client worker for \(base)")
            }
            let generator = CycleLoadGenerator(host: host, port: base.port ?? 80, workerToken: tokens.workerToken,
                                               lease: request, result: { Self.result($0, hardware) })
            baseline = try await generator.healthRate(workers: workers, seconds: baselineSeconds,
                                                      group: MultiThreadedEventLoopGroup.singleton)
            started = ContinuousClock.now
            cpuBefore = (Self.processCPUSeconds(), try target.coordinatorCPU?() ?? 0)
            latencies = try await generator.run(workers: workers, group: MultiThreadedEventLoopGroup.singleton)
        case .worker:
            baseline = try await Self.measureBaseline(
                workers: workers, seconds: baselineSeconds,
                connections: (0..<workers).map { _ in connection(tokens.workerToken) })
            started = ContinuousClock.now
            cpuBefore = (Self.processCPUSeconds(), try target.coordinatorCPU?() ?? 0)
            latencies = try await Self.workerClientCycles(workers: workers, request: request,
                                                          connection: { connection(tokens.workerToken) },
                                                          result: { Self.result($0, hardware) })
        }
        let elapsed = (ContinuousClock.now - started).inSeconds
        let cpu = Self.processCPUSeconds() - cpuBefore.this
        let coordinatorCPU = try target.coordinatorCPU.map { try $0() - cpuBefore.coordinator }
        let cycles = latencies.cycle.count
        let rate = Double(cycles) / elapsed
        let status = try await AdminClient(connection: connection(tokens.adminToken)).experiment(submitted.experiment)
        print(String(format: "baseline GET /healthz: %.0f req/s", baseline))
        print(String(format: "cycles (lease+post+complete): %d in %.2f s = %.0f cycles/s (%.0f req/s, %.2f× baseline req/s)",
                     cycles, elapsed, rate, 3 * rate, 3 * rate / baseline))
        for (name, values) in [("cycle", latencies.cycle), ("lease", latencies.lease),
                               ("post", latencies.post), ("complete", latencies.complete)] {
            let sorted = values.sorted()
            func ms(_ fraction: Double) -> Double { Double(Self.percentile(sorted, fraction)) / 1e6 }
            print(String(format: "%@ latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                         name.padding(toLength: 8, withPad: " ", startingAt: 0), ms(0.50), ms(0.99), ms(1.0)))
        }
        func perCycle(_ seconds: Double) -> String {
            String(format: "%.2f s = %.3f ms per cycle", seconds, 1000 * seconds / Double(max(1, cycles)))
        }
        if let coordinatorCPU {
            print("CPU: coordinator process \(perCycle(coordinatorCPU)); simulated workers \(perCycle(cpu))")
        } else {
            print("CPU of this process: \(perCycle(cpu))"
                  + (inProcess ? " (coordinator and simulated workers together)" : " (simulated workers only)"))
        }
        print("jobs done \(status.jobs.done) of \(status.jobs.total), predictions \(status.samples.done)")
    }

    static func measureBaseline(workers: Int, seconds: Double, connections: [CoordinatorConnection]) async throws -> Double {
        guard seconds > 0 else { return .nan }
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for connection in connections {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        _ = try await connection.send("GET", "/healthz", body: nil, contentType: "application/json")
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(count) / seconds
    }

    /// The same closed loop through the worker's own client (`WorkerClient` on libcurl).
    static func workerClientCycles(workers: Int, request: LeaseRequest,
                                   connection: () -> CoordinatorConnection,
                                   result: @escaping @Sendable (String) -> SampleResult) async throws -> CycleLatencies {
        try await withThrowingTaskGroup(of: CycleLatencies.self) { group in
            for index in 0..<workers {
                let client = WorkerClient(connection: connection())
                var request = request
                request.workerId = "bench-\(index)"
                group.addTask { [request] in
                    var latencies = CycleLatencies()
                    func nanoseconds(since start: ContinuousClock.Instant) -> UInt64 {
                        let elapsed = (ContinuousClock.now - start).components
                        return UInt64(elapsed.seconds) * 1_000_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000)
                    }
                    while true {
                        let cycleStart = ContinuousClock.now
                        guard let lease = try await client.lease(request) else { break }
                        latencies.lease.append(nanoseconds(since: cycleStart))
                        var start = ContinuousClock.now
                        _ = try await client.post(result(lease.pendingSampleIds[0]), for: lease)
                        latencies.post.append(nanoseconds(since: start))
                        start = ContinuousClock.now
                        _ = try await client.complete(lease)
                        latencies.complete.append(nanoseconds(since: start))
                        latencies.cycle.append(nanoseconds(since: cycleStart))
                    }
                    return latencies
                }
            }
            var all = CycleLatencies()
            for try await part in group { all.merge(part) }
            return all
        }
    }

    /// The cycles against `CoordinatorStore` directly, one caller at a time (the actor serialises
    /// them anyway): what SQLite and the state machine cost without HTTP and JSON bodies.
    func measureStoreOnly() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CoordinatorStore(path: directory.appendingPathComponent("store.sqlite").path, leaseSeconds: 60)
        let model = String(repeating: "0", count: 64)
        _ = try await store.submit(SubmitRequest(spec: sweep(model: model, policy: PolicyConfig(name: .fullkv), budget: 64)))
        let hardware = HardwareClass(cpu: "bench", threads: 1, dtype: "none")
        let request = LeaseRequest(workerId: "bench", hardware: hardware, models: [model])
        let cpuBefore = Self.processCPUSeconds()
        let started = ContinuousClock.now
        var cycles = 0
        while let claimed = try await store.leaseWire(request) {
            let grant = claimed.grant
            _ = try await store.postPrediction(job: grant.jobId, PredictionPost(
                token: grant.token, result: Self.result(grant.pendingSampleIds[0], hardware)))
            _ = try await store.complete(job: grant.jobId, token: grant.token)
            cycles += 1
        }
        let elapsed = (ContinuousClock.now - started).inSeconds
        print(String(format: "store only (no HTTP): %d cycles in %.2f s = %.0f cycles/s, CPU %.3f ms per cycle",
                     cycles, elapsed, Double(cycles) / elapsed, 1000 * (Self.processCPUSeconds() - cpuBefore) / Double(max(cycles, 1))))
    }

    /// `jobs` one-sample needle jobs (one per length) for a model no worker really holds.
    func sweep(model: String, policy: PolicyConfig, budget: Int) -> ExperimentSpec {
        ExperimentSpec(benchmark: .needle, modelSha256: model, policies: [policy], budgets: [budget],
                       needle: NeedleSweep(lengths: Array(1...jobs), depths: [0]), shardTokens: 1)
    }

    /// A simulated worker's prediction for one sample.
    static func result(_ sampleId: String, _ hardware: HardwareClass) -> SampleResult {
        SampleResult(sampleId: sampleId, prediction: "x", promptTokens: 1, generatedTokens: 1, prefillSeconds: 0,
                     decodeSeconds: 0, kvBytes: 0, hardware: hardware)
    }

    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pyramidkv-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// User + system CPU time of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func percentile<T: Numeric>(_ sorted: [T], _ fraction: Double) -> T {
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }
}

/// Which HTTP client the simulated workers use.
enum BenchClient: String, ExpressibleByArgument, CaseIterable, Sendable {
    case lean, worker
}

/// The coordinator under test: where it is, its tokens, and (for a child process) its CPU time.
struct BenchTarget {
    let base: URL
    let tokens: APITokens
    let description: String
    let coordinatorCPU: (() throws -> Double)?
}
