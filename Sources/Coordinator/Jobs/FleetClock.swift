import Foundation

/// Wall-clock time in seconds since 1970. Injected wherever time decides something (leases),
/// so tests can drive it by hand.
public protocol FleetClock: Sendable {
    func now() -> Double
}

public struct SystemClock: FleetClock {
    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 }
}
