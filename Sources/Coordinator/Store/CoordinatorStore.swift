import FleetCore
import Foundation

/// The coordinator's database: the only owner of the SQLite file (design §1). An actor, so the
/// one connection is used by one task at a time; every job transition goes through
/// `JobStateMachine` inside a `BEGIN IMMEDIATE` transaction (shared by the writes queued together,
/// see `GroupCommit.swift`). A second connection only checkpoints the WAL (`WALCheckpointer`).
public actor CoordinatorStore {
    let database: SQLiteDatabase
    let machine: JobStateMachine
    let clock: any FleetClock
    let checkpointer: WALCheckpointer
    var pendingWrites: [any PendingWrite] = []
    var drainScheduled = false
    var writesCommitted = 0
    var writeTransactions = 0
    let encoder = WireJSON.encoder()
    let decoder = WireJSON.decoder()

    /// Opens (creating if needed) the database at `path`, sets WAL, `synchronous=NORMAL`,
    /// a busy timeout and foreign keys, and applies pending migrations. The WAL is checkpointed in
    /// the background; this connection's own automatic checkpoint (16,000 pages, 64 MiB) only
    /// bounds the log when writes never pause long enough for the background one to finish.
    public init(path: String, clock: any FleetClock = SystemClock(), leaseSeconds: Double = 60) throws(StoreError) {
        do {
            database = try SQLiteDatabase(path: path)
            database.setBusyTimeout(milliseconds: 5_000)
            try database.executeScript("""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA foreign_keys = ON;
                PRAGMA wal_autocheckpoint = 16000;
                """)
        } catch {
            throw .sqlite(error)
        }
        try SchemaMigrations.migrate(database)
        do {
            checkpointer = try WALCheckpointer(path: path)
        } catch {
            throw .sqlite(error)
        }
        self.clock = clock
        self.machine = JobStateMachine(clock: clock, leaseSeconds: leaseSeconds)
    }

    deinit { checkpointer.stop() }

    public nonisolated var leaseSeconds: Double { machine.leaseSeconds }

    // MARK: Helpers shared by the store's extensions

    /// Runs `body` in an immediate transaction shared with the other writes queued meanwhile
    /// (`GroupCommit.swift`), and answers once that transaction has committed.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping () throws -> T) async throws(StoreError) -> T {
        let outcome = await withCheckedContinuation { continuation in
            pendingWrites.append(WriteSlot(body, continuation))
            if !drainScheduled {
                drainScheduled = true
                // Runs after the actor's queued calls, so their writes join this batch.
                Task { self.drainWrites() }
            }
        }
        return try outcome.get()
    }

    /// Runs every queued write in one BEGIN IMMEDIATE … COMMIT, then answers them all.
    private func drainWrites() {
        drainScheduled = false
        let batch = pendingWrites
        pendingWrites.removeAll(keepingCapacity: true)
        do {
            try database.transaction {
                for write in batch { try write.run(database) }
            }
        } catch {
            for write in batch { write.finish(batchError: .wrapping(error)) }
            return
        }
        writesCommitted += batch.count
        writeTransactions += 1
        for write in batch { write.finish(batchError: nil) }
    }

    func read(_ sql: String, _ parameters: [any SQLiteBindable] = []) throws(StoreError) -> [SQLiteRow] {
        do {
            return try database.query(sql, parameters)
        } catch {
            throw .sqlite(error)
        }
    }

    func json<T: Encodable>(_ value: T) throws(StoreError) -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .invalid(field: "body", reason: "cannot encode \(T.self): \(error)")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String?, table: String, id: String) throws(StoreError) -> T {
        guard let text else { throw .corruptRow(table: table, id: id, detail: "missing JSON") }
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw .corruptRow(table: table, id: id, detail: "\(error)")
        }
    }

    /// 128 random bits as 32 lower-case hex digits (a lease's fencing token).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(32)
        for _ in 0..<2 {
            var word = generator.next() as UInt64
            for _ in 0..<16 {
                hex.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
