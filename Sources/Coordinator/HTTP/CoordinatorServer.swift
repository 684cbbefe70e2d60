import FleetCore
import Hummingbird

/// Runs the HTTP API and the lease sweeper until shut down (SIGTERM/SIGINT when
/// `handleSignals`, or cancellation of the calling task).
public struct CoordinatorServer: Sendable {
    public let store: CoordinatorStore
    public let configuration: CoordinatorConfiguration

    public init(store: CoordinatorStore, configuration: CoordinatorConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Serves until shutdown. `onListening` receives the bound port (useful with port 0).
    public func run(handleSignals: Bool = true,
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let api = CoordinatorAPI(store: store, configuration: configuration)
        let app = Application(
            router: api.router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "pyramidkv-coordinator"),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? configuration.port)
            })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sweepLeases() }
            if handleSignals {
                try await app.runService()
            } else {
                try await app.runService(gracefulShutdownSignals: [])
            }
            group.cancelAll()
        }
    }

    /// Returns expired leases to the queue every `sweepIntervalSeconds` until cancelled.
    private func sweepLeases() async throws {
        let seconds = configuration.sweepIntervalSeconds ?? min(5, max(0.05, store.leaseSeconds / 4))
        let interval = Duration.milliseconds(Int64(seconds * 1000))
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try await store.sweepExpiredLeases()
            } catch {
                print("pyramidkv coordinator: lease sweep failed: \(error)")
            }
        }
    }
}
