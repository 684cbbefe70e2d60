import Coordinator
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: FleetClock {
    private let seconds: Mutex<Double>

    init(_ start: Double = 1_000_000) { seconds = Mutex(start) }

    func now() -> Double { seconds.withLock { $0 } }

    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
}
