/// Group commit: the writes that arrive while one batch runs share the next transaction. Each
/// write runs in its own SAVEPOINT, so a refused one (a stale token, an unknown id) is rolled
/// back alone and the others keep their effects; nobody gets an answer before the COMMIT that
/// holds their write has succeeded, so an acknowledged write is never lost. The batch's writes
/// run one after another in arrival order, exactly as separate transactions would, but the pages
/// they share (the claim index, a job's row) go to the WAL once per batch, not once per write.
/// That cuts the WAL traffic and the checkpoints whose fsyncs stall every queued request.
protocol PendingWrite: AnyObject {
    /// Runs the write inside the open batch transaction, under its own savepoint.
    func run(_ database: SQLiteDatabase) throws(SQLiteError)
    /// Answers the caller: its own outcome, or the batch's failure to commit.
    func finish(batchError: StoreError?)
}

/// One caller's write and the continuation waiting for its answer.
final class WriteSlot<T: Sendable>: PendingWrite {
    private let body: () throws -> T
    private let continuation: CheckedContinuation<Result<T, StoreError>, Never>
    private var outcome: Result<T, StoreError>?

    init(_ body: @escaping () throws -> T, _ continuation: CheckedContinuation<Result<T, StoreError>, Never>) {
        self.body = body
        self.continuation = continuation
    }

    func run(_ database: SQLiteDatabase) throws(SQLiteError) {
        try database.execute("SAVEPOINT write")
        do {
            outcome = .success(try body())
            try database.execute("RELEASE write")
        } catch {
            outcome = .failure(StoreError.wrapping(error))
            // Undo this write only; the batch goes on. When SQLite has already rolled the whole
            // transaction back (a full disk, an I/O error), the batch fails with the first cause.
            do {
                try database.execute("ROLLBACK TO write")
                try database.execute("RELEASE write")
            } catch let rollbackError {
                throw (error as? SQLiteError) ?? rollbackError
            }
        }
    }

    func finish(batchError: StoreError?) {
        if let batchError {
            continuation.resume(returning: .failure(batchError))
        } else {
            continuation.resume(returning: outcome ?? .failure(.corruptRow(table: "?", id: "?",
                                                                           detail: "a write was never run")))
        }
    }
}

extension StoreError {
    /// Any error thrown inside a write, as the store reports it.
    static func wrapping(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as SQLiteError: .sqlite(error)
        default: .corruptRow(table: "?", id: "?", detail: "\(error)")
        }
    }
}
