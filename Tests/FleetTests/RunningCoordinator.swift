import Coordinator
import FleetCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import TestSupport
#endif

let adminToken = "admin-secret-token"
let workerToken = "worker-secret-token"

/// A real coordinator on 127.0.0.1 with an ephemeral port and a SQLite file in a temp dir.
struct RunningCoordinator {
    let port: Int
    let store: CoordinatorStore
    let task: Task<Void, any Error>

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static func start(in directory: TemporaryDirectory, database: String = "fleet.sqlite",
                      leaseSeconds: Double = 60, sweepIntervalSeconds: Double? = nil,
                      maxBodyBytes: Int = 1 << 20, port: Int = 0) async throws -> RunningCoordinator {
        // Stopping a server by cancelling its task makes Hummingbird log at error level; keep
        // test output to real failures (a LOG_LEVEL set by the caller wins).
        setenv("LOG_LEVEL", "critical", 0)
        let store = try CoordinatorStore(path: directory.path(database), leaseSeconds: leaseSeconds)
        let configuration = CoordinatorConfiguration(
            host: "127.0.0.1", port: port, tokens: try APITokens(admin: adminToken, worker: workerToken),
            sweepIntervalSeconds: sweepIntervalSeconds, maxBodyBytes: maxBodyBytes)
        let server = CoordinatorServer(store: store, configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await server.run(handleSignals: false) { port in continuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return RunningCoordinator(port: port, store: store, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// One HTTP exchange; returns the status and body.
    func call(_ method: String, _ path: String, token: String? = adminToken,
              body: Data? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? -1, data)
    }

    func call<Body: Encodable>(_ method: String, _ path: String, token: String? = adminToken,
                               json: Body) async throws -> (status: Int, body: Data) {
        try await call(method, path, token: token, body: try WireJSON.encoder().encode(json))
    }
}

func decoded<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
    try WireJSON.decoder().decode(T.self, from: data)
}
