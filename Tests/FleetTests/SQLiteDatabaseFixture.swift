import Coordinator

enum SQLiteDatabaseFixture {
    /// An otherwise empty database file stamped with `userVersion`.
    static func create(_ path: String, userVersion: Int) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA user_version = \(userVersion)")
        return database
    }
}
