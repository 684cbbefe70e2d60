import Foundation
import Synchronization

/// A flag set from a signal handler or another task, read between samples.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func request() { flag.store(true, ordering: .sequentiallyConsistent) }
    public var isRequested: Bool { flag.load(ordering: .sequentiallyConsistent) }

    /// Sets this flag on SIGTERM and SIGINT (the worker then finishes or releases its job).
    public func installSignalHandlers() -> [DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in self.request() }
            source.resume()
            return source
        }
    }
}
