/// A failed SQLite call, with the database file, the statement and SQLite's own message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?
    public let path: String

    public var description: String {
        var text = "SQLite error \(code) on \(path): \(message)"
        if let sql { text += " (in: \(sql.prefix(120)))" }
        return text
    }
}
