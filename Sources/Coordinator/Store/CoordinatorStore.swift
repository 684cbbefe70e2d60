import FleetCore
import Foundation

/// The coordinator's database: the only owner of the SQLite file (design §1). An actor, so the
/// one connection is used by one task at a time; every job transition goes through
/// `JobStateMachine` inside a single `BEGIN IMMEDIATE` transaction.
public actor CoordinatorStore {
    let database: SQLiteDatabase
    let machine: JobStateMachine
    let clock: any FleetClock
    let encoder = WireJSON.encoder()
    let decoder = WireJSON.decoder()

    /// Opens (creating if needed) the database at `path`, sets WAL, `synchronous=NORMAL`,
    /// a busy timeout and foreign keys, and applies pending migrations.
    public init(path: String, clock: any FleetClock = SystemClock(), leaseSeconds: Double = 60) throws(StoreError) {
        do {
            database = try SQLiteDatabase(path: path)
            database.setBusyTimeout(milliseconds: 5_000)
            try database.executeScript("""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA foreign_keys = ON;
                """)
        } catch {
            throw .sqlite(error)
        }
        try SchemaMigrations.migrate(database)
        self.clock = clock
        self.machine = JobStateMachine(clock: clock, leaseSeconds: leaseSeconds)
    }

    public nonisolated var leaseSeconds: Double { machine.leaseSeconds }

    // MARK: Helpers shared by the store's extensions

    /// Runs `body` in one immediate transaction, mapping SQLite failures to `StoreError`.
    @discardableResult
    func write<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try database.transaction(body)
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            throw .sqlite(error)
        } catch {
            throw .corruptRow(table: "?", id: "?", detail: "\(error)")
        }
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
