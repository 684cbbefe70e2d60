import ArgumentParser
import Coordinator
import Foundation
import KVEngine
import Assets

/// `pyramidkv coordinator`: the daemon that owns the database and serves the API.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run the coordinator: SQLite store plus the HTTP API for submitters and workers.")

    @Option(help: "SQLite database file (created if missing).")
    var db: String

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen = "127.0.0.1:8787"

    @Option(help: "File holding the admin bearer token.")
    var adminTokenFile: String

    @Option(help: "File holding the worker bearer token.")
    var workerTokenFile: String

    @Option(help: "Lease length in seconds; a job whose worker goes silent this long is queued again.")
    var leaseSeconds: Double = 60

    @Option(help: "Largest request body accepted, in MiB.")
    var maxBodyMib: Int = 64

    @Option(help: ArgumentHelp("Directory of GGUF models the sample pages may load to recompute a needle prompt and "
                               + "the positions each layer kept (one prefill per page view; off when not given).",
                               valueName: "DIR"))
    var inspectModelsDir: String?

    @Option(help: "Needle haystack directory for --inspect-models-dir (default: the fetched Paul Graham essays).")
    var inspectHaystack: String?

    func run() async throws {
        guard leaseSeconds > 0 else { throw ValidationError("--lease-seconds must be positive") }
        guard maxBodyMib > 0 else { throw ValidationError("--max-body-mib must be positive") }
        // The inspector runs prefills in this process: give OpenBLAS its fast kernel (re-exec).
        if inspectModelsDir != nil { BLASSetup.ensureFastKernel() }
        let (host, port) = try CoordinatorConfiguration.parseListen(listen)
        let tokens = try APITokens(
            admin: try CoordinatorConfiguration.readToken(file: adminTokenFile, role: "admin"),
            worker: try CoordinatorConfiguration.readToken(file: workerTokenFile, role: "worker"))
        let store = try CoordinatorStore(path: db, leaseSeconds: leaseSeconds)
        let inspector = inspectModelsDir.map {
            EngineSampleInspector(modelsDirectory: $0, haystackDirectory: inspectHaystack ?? DefaultAssets.haystackDirectory)
        }
        let configuration = CoordinatorConfiguration(host: host, port: port, tokens: tokens,
                                                     maxBodyBytes: maxBodyMib << 20, sampleInspector: inspector)
        let database = db
        try await CoordinatorServer(store: store, configuration: configuration).run(handleSignals: true) { port in
            // Written straight to the file handle so the line is out at once, even into a pipe.
            let line = "pyramidkv coordinator: listening on http://\(host):\(port) (database \(database), "
                + "schema v\(SchemaMigrations.latestVersion), lease \(leaseSeconds) s)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        print("pyramidkv coordinator: stopped cleanly")
    }
}
