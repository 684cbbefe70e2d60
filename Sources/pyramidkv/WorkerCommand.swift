import ArgumentParser
import Foundation
import KVEngine
import Worker
import Assets

/// `pyramidkv worker`: lease jobs from a coordinator and run them with the engine.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run jobs from a coordinator with the engine (SIGTERM finishes or releases the job).")

    @Option(help: "Coordinator URL (default: $PYRAMIDKV_COORDINATOR, else http://127.0.0.1:8787).") var coordinator: String?
    @Option(help: "File holding the worker bearer token (default: $PYRAMIDKV_TOKEN).") var tokenFile: String?
    @Option(help: "Threads for the engine kernels and BLAS (default: all cores).") var threads: Int?
    @Option(help: "Directory of GGUF models (default: $PYRAMIDKV_HOME/models).") var modelsDir: String?
    @Option(help: "Needle haystack directory (default: the fetched Paul Graham essays).") var haystack: String?
    @Option(help: "Worker id (default: hostname-pid).") var workerId: String?
    @Option(help: "MiB of recent prefills kept for other policies/budgets on the same samples (0: off).")
    var prefillCacheMib = WorkerLoop.defaultPrefillCacheBytes >> 20
    @Flag(help: "Exit once the coordinator has no job for this worker.") var exitWhenIdle = false
    @Flag(help: "Take only jobs whose model file is already here (by default a job naming one of the project's named models that is missing is fetched first).")
    var noFetchModels = false

    func run() async throws {
        BLASSetup.ensureFastKernel()
        try KernelRuntime.requireJobNumericsForFleet()
        try KernelRuntime.ensureConfigured()
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be ≥ 1 (got \(threads))") }
            KernelRuntime.setThreads(threads)
        }
        let endpoint = try ClientOptions(coordinator: coordinator, tokenFile: tokenFile).endpoint()
        let stop = StopSignal()
        let signals = stop.installSignalHandlers()
        defer { _ = signals }
        let id = workerId ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let loop = WorkerLoop(
            client: WorkerClient(connection: CoordinatorConnection(endpoint: endpoint, retry: .patient)),
            workerId: id, models: ModelStore(directories: [modelsDir ?? DefaultAssets.home + "/models"], fetchNamed: !noFetchModels),
            hardware: WorkerLoop.localHardware(threads: KernelRuntime.threads),
            haystackDirectory: haystack ?? DefaultAssets.haystackDirectory, stop: stop, exitWhenIdle: exitWhenIdle,
            prefillCacheBytes: max(0, prefillCacheMib) << 20,
            log: { line in FileHandle.standardError.write(Data("pyramidkv worker \(id): \(line)\n".utf8)) })
        FileHandle.standardError.write(Data("pyramidkv worker \(id): \(BLASSetup.summary), coordinator \(endpoint.baseURL)\n".utf8))
        let done = await loop.run()
        FileHandle.standardError.write(Data("pyramidkv worker \(id): stopped after \(done) job(s)\n".utf8))
    }
}

extension ClientOptions {
    init(coordinator: String?, tokenFile: String?) {
        self.init()
        self.coordinator = coordinator
        self.tokenFile = tokenFile
    }
}
