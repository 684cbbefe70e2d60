import Foundation
import Synchronization

/// Copies the store's write-ahead log into the database file off the request path. SQLite's own
/// automatic checkpoint runs inside the commit that crosses its threshold, and its two fsyncs
/// (2–40 ms on a virtual disk) then hold up every request queued behind the one connection. Here
/// passive checkpoints, which never block a writer, run on a second connection on their own
/// thread; the store's connection keeps a far higher automatic threshold as a bound on the log.
final class WALCheckpointer: Sendable {
    private let stopped = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, intervalMilliseconds: Int = 50) throws(SQLiteError) {
        let database = try SQLiteDatabase(path: path)
        database.setBusyTimeout(milliseconds: 5_000)
        // A connection learns the file is in WAL mode only once it reads it; until then a
        // checkpoint call does nothing.
        try database.executeScript("PRAGMA journal_mode = WAL")
        let connection = UncheckedConnection(database: database)
        let thread = Thread { [self] in
            var failing = false
            while true {
                _ = wake.wait(timeout: .now() + .milliseconds(intervalMilliseconds))
                if stopped.withLock({ $0 }) {
                    connection.database.close()
                    finished.signal()
                    return
                }
                do {
                    try connection.database.passiveCheckpoint()
                    if failing { print("pyramidkv coordinator: background WAL checkpoints work again") }
                    failing = false
                } catch {
                    // The store's connection still checkpoints at its own threshold: this costs
                    // latency, not data. Said once, not every 50 ms.
                    if !failing { print("pyramidkv coordinator: background WAL checkpoint failed: \(error)") }
                    failing = true
                }
            }
        }
        thread.name = "pyramidkv-wal-checkpoint"
        thread.start()
    }

    /// Ends the thread after its current checkpoint and returns once its connection is closed,
    /// so whoever opens the file next never meets it half-closed (a closing connection may hold
    /// the file's exclusive lock for a final checkpoint).
    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        wake.signal()
        finished.wait()
    }
}

/// Hands the checkpoint connection to its thread, which is then its only user.
private struct UncheckedConnection: @unchecked Sendable {
    let database: SQLiteDatabase
}
