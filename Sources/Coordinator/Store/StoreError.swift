import FleetCore

/// Why the store refused or failed a request. Each case maps to one HTTP status in the API.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case databaseNewerThanBinary(path: String, databaseVersion: Int, binaryVersion: Int)
    case migrationFailed(name: String, underlying: SQLiteError)
    case sqlite(SQLiteError)
    /// An id in the request names nothing (`kind` is "experiment", "job", "sample", "blob").
    case notFound(kind: String, id: String, field: String)
    /// The request's lease token is not the job's current one.
    case staleLease(jobId: Int64, state: JobState)
    /// The request is well-formed but conflicts with stored state.
    case conflict(field: String, reason: String)
    case invalid(field: String, reason: String)
    /// A stored row could not be read back.
    case corruptRow(table: String, id: String, detail: String)

    public var description: String {
        switch self {
        case .databaseNewerThanBinary(let path, let databaseVersion, let binaryVersion):
            "database \(path) has schema version \(databaseVersion), but this pyramidkv knows only up to "
                + "version \(binaryVersion); use a newer pyramidkv (the database was not changed)"
        case .migrationFailed(let name, let underlying):
            "schema migration \(name) failed: \(underlying)"
        case .sqlite(let error): error.description
        case .notFound(let kind, let id, _): "no \(kind) '\(id)'"
        case .staleLease(let jobId, let state):
            "stale lease token for job \(jobId) (job is \(state.rawValue)); nothing was changed"
        case .conflict(_, let reason): reason
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .corruptRow(let table, let id, let detail): "cannot read \(table) row \(id): \(detail)"
        }
    }
}
