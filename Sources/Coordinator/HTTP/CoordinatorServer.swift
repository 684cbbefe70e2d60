import FleetCore
import Hummingbird
import HummingbirdCore
import ServiceLifecycle

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
    /// Cancelling the calling task shuts the server down gracefully (in-flight requests finish,
    /// idle connections close), as SIGTERM does, rather than tearing its channels down.
    public func run(handleSignals: Bool = true,
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let api = CoordinatorAPI(store: store, configuration: configuration)
        let metrics = api.requestMetrics
        let app = Application(
            router: api.router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionCountingHandler(metrics: metrics)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "pyramidkv-coordinator"),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? configuration.port)
            })
        let services = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [], logger: app.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sweepLeases() }
            // Unstructured, so the caller's cancellation reaches it only as a graceful shutdown.
            let serving = Task { try await services.run() }
            try await withTaskCancellationHandler {
                try await serving.value
            } onCancel: {
                Task { await services.triggerGracefulShutdown() }
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
