import Synchronization

/// Request counts and total latency per route and status, and accepted connections, for /metrics.
final class RequestMetrics: Sendable {
    struct Key: Hashable {
        let route: String
        let status: Int
    }

    private let counters = Mutex<[Key: (count: Int, seconds: Double)]>([:])
    private let connections = Atomic<Int>(0)

    /// TCP connections the server accepted since start-up; far fewer than requests when
    /// clients keep their connections alive.
    var connectionsAccepted: Int { connections.load(ordering: .relaxed) }

    func connectionAccepted() {
        connections.add(1, ordering: .relaxed)
    }

    func record(route: APIRoute, status: Int, seconds: Double) {
        let key = Key(route: "\(route.method) \(route.path)", status: status)
        counters.withLock { table in
            let old = table[key] ?? (0, 0)
            table[key] = (old.count + 1, old.seconds + seconds)
        }
    }

    func snapshot() -> [(key: Key, count: Int, seconds: Double)] {
        counters.withLock { table in
            table.map { (key: $0.key, count: $0.value.count, seconds: $0.value.seconds) }
        }.sorted { ($0.key.route, $0.key.status) < ($1.key.route, $1.key.status) }
    }
}
