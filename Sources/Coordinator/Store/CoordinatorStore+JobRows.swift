import FleetCore

/// Reading and writing a job's lifecycle columns, and applying one event to one job.
extension CoordinatorStore {
    static let jobRecordColumns = """
        id, state, attempts, max_attempts, lease_worker, lease_token, lease_expires_at,
        cancel_requested, samples_done, last_error
        """

    func jobRecord(_ row: SQLiteRow) throws(StoreError) -> JobRecord {
        let id = row["id"].int64 ?? -1
        guard let state = row["state"].string.flatMap(JobState.init(rawValue:)) else {
            throw .corruptRow(table: "jobs", id: "\(id)", detail: "unknown state \(row["state"])")
        }
        var lease: LeaseHolder?
        if let worker = row["lease_worker"].string, let token = row["lease_token"].string,
           let expiresAt = row["lease_expires_at"].double {
            lease = LeaseHolder(workerId: worker, token: token, expiresAt: expiresAt)
        }
        return JobRecord(state: state, attempts: row["attempts"].int ?? 0,
                         maxAttempts: row["max_attempts"].int ?? 1, lease: lease,
                         lastError: row["last_error"].string,
                         cancelRequested: row["cancel_requested"].int == 1,
                         samplesDone: row["samples_done"].int ?? 0)
    }

    /// Loads the job, or throws not-found naming `field`.
    func loadJob(_ jobId: Int64, field: String = "job_id") throws(StoreError) -> JobRecord {
        let rows = try read("SELECT \(Self.jobRecordColumns) FROM jobs WHERE id = ?", [jobId])
        guard let row = rows.first else { throw .notFound(kind: "job", id: "\(jobId)", field: field) }
        return try jobRecord(row)
    }

    func saveJob(_ jobId: Int64, _ record: JobRecord) throws(StoreError) {
        do {
            try database.execute("""
                UPDATE jobs SET state = ?, attempts = ?, lease_worker = ?, lease_token = ?,
                    lease_expires_at = ?, cancel_requested = ?, samples_done = ?, last_error = ?,
                    updated_at = ?
                WHERE id = ?
                """, [record.state.rawValue, record.attempts, record.lease?.workerId, record.lease?.token,
                      record.lease?.expiresAt, record.cancelRequested, record.samplesDone, record.lastError,
                      clock.now(), jobId])
        } catch {
            throw .sqlite(error)
        }
    }

    /// Applies `event` to the job and stores the result. Call inside a transaction.
    @discardableResult
    func transition(_ jobId: Int64, _ event: JobEvent) throws(StoreError) -> (JobRecord, JobAction) {
        let record = try loadJob(jobId)
        let next: JobRecord
        let action: JobAction
        do {
            (next, action) = try machine.apply(event, to: record)
        } catch {
            switch error {
            case .staleLease(let state): throw .staleLease(jobId: jobId, state: state)
            case .notAllowed: throw .conflict(field: "job_id", reason: "job \(jobId): \(error)")
            }
        }
        if next != record { try saveJob(jobId, next) }
        return (next, action)
    }

    /// Checks that `token` is the job's current lease token, without changing anything.
    func requireLeaseHolder(_ jobId: Int64, token: String) throws(StoreError) -> JobRecord {
        let record = try loadJob(jobId)
        do {
            try machine.checkHolder(record, token: token)
        } catch {
            throw .staleLease(jobId: jobId, state: record.state)
        }
        return record
    }
}
