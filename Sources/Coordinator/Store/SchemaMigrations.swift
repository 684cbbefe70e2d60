/// One numbered schema step (`schema/NNN_name.sql`).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// Brings a database up to the newest schema this binary knows; refuses a newer one.
/// The version lives in `PRAGMA user_version`.
public enum SchemaMigrations {
    public static var latestVersion: Int { embedded.map(\.version).max() ?? 0 }

    static func migrate(_ database: SQLiteDatabase, migrations: [Migration] = embedded) throws(StoreError) {
        let known = migrations.map(\.version).max() ?? 0
        let current: Int
        do {
            current = try database.query("PRAGMA user_version").first?["user_version"].int ?? 0
        } catch {
            throw .sqlite(error)
        }
        guard current <= known else {
            throw .databaseNewerThanBinary(path: database.path, databaseVersion: current, binaryVersion: known)
        }
        for migration in migrations.sorted(by: { $0.version < $1.version }) where migration.version > current {
            do {
                try database.transaction {
                    try database.executeScript(migration.sql)
                    try database.executeScript("PRAGMA user_version = \(migration.version)")
                }
            } catch let error as SQLiteError {
                throw .migrationFailed(name: migration.name, underlying: error)
            } catch {
                throw .migrationFailed(name: migration.name, underlying: SQLiteError(
                    code: 1, message: "\(error)", sql: nil, path: database.path))
            }
        }
    }
}
