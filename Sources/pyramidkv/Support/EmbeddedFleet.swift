import Coordinator
import Foundation
import KVEngine
import Assets
import Worker

/// A coordinator (SQLite file, HTTP on an ephemeral loopback port) and a worker in this process,
/// over the same code paths as the daemons: what `demo` and `reproduce` run when no coordinator
/// is given.
struct EmbeddedFleet {
    let admin: AdminClient
    let base: URL
    private let tokens: APITokens
    private let serverTask: Task<Void, any Error>

    /// Starts the coordinator on `databasePath`; `say` reports where it listens.
    static func start(databasePath: String, say: (String) -> Void) async throws -> EmbeddedFleet {
        let tokens = try APITokens(admin: UUID().uuidString, worker: UUID().uuidString)
        let store = try CoordinatorStore(path: databasePath, leaseSeconds: 120)
        let server = CoordinatorServer(store: store, configuration: CoordinatorConfiguration(
            host: "127.0.0.1", port: 0, tokens: tokens))
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let serverTask = Task { try await server.run(handleSignals: false) { portSink.yield($0) } }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else {
            serverTask.cancel()
            throw CLIError("the coordinator did not start")
        }
        let base = URL(string: "http://127.0.0.1:\(port)")!
        say("coordinator on \(base) (database \(databasePath)); \(BLASSetup.summary)")
        let admin = AdminClient(connection: CoordinatorConnection(endpoint: CoordinatorEndpoint(baseURL: base, token: tokens.adminToken)))
        return EmbeddedFleet(admin: admin, base: base, tokens: tokens, serverTask: serverTask)
    }

    /// Runs the worker loop `pyramidkv worker` runs until the queue is empty; returns the jobs done.
    func runWorker(models: ModelStore, idPrefix: String) async -> Int {
        let stop = StopSignal()
        let signals = stop.installSignalHandlers()
        defer { _ = signals }
        let worker = WorkerLoop(
            client: WorkerClient(connection: CoordinatorConnection(endpoint: CoordinatorEndpoint(baseURL: base, token: tokens.workerToken))),
            workerId: "\(idPrefix)-\(getpid())", models: models, hardware: WorkerLoop.localHardware(threads: KernelRuntime.threads),
            haystackDirectory: DefaultAssets.haystackDirectory, stop: stop, idleSeconds: 0.5, exitWhenIdle: true,
            prefillCacheBytes: 3 << 30,
            log: { line in FileHandle.standardError.write(Data("  worker: \(line)\n".utf8)) })
        return await worker.run()
    }

    func stop() { serverTask.cancel() }
}
