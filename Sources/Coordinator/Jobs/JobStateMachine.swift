/// The job lifecycle as a pure function (design §2, §4): events in, a new record and an action
/// out. No storage and no I/O, so lease, retry and dead-letter rules are tested with a fake clock.
///
///     queued ──lease──▶ leased ──complete──▶ done
///       ▲                 │ fail / expire: attempts += 1
///       ├─────────────────┤   attempts < max → queued, else → dead (last error kept)
///       │ release         │ cancel → cancel requested; the next fail/release/expire → cancelled
///       └──── requeue ◀── dead | cancelled        queued ──cancel──▶ cancelled
public struct JobStateMachine: Sendable {
    public let clock: any FleetClock
    public let leaseSeconds: Double

    public init(clock: any FleetClock, leaseSeconds: Double) {
        self.clock = clock
        self.leaseSeconds = leaseSeconds
    }

    public func apply(_ event: JobEvent, to record: JobRecord) throws(JobTransitionError) -> (JobRecord, JobAction) {
        var next = record
        switch event {
        case .lease(let workerId, let token):
            guard record.state == .queued, !record.cancelRequested else {
                throw .notAllowed(event: event.name, state: record.state)
            }
            let holder = LeaseHolder(workerId: workerId, token: token, expiresAt: clock.now() + leaseSeconds)
            next.state = .leased
            next.lease = holder
            next.samplesDone = 0
            return (next, .granted(holder))

        case .heartbeat(let token, let samplesDone):
            try checkHolder(record, token: token)
            let expiresAt = clock.now() + leaseSeconds
            next.lease?.expiresAt = expiresAt
            next.samplesDone = samplesDone
            return (next, .extended(expiresAt: expiresAt, cancel: record.cancelRequested))

        case .complete(let token):
            // Idempotent for the holder that completed it (a retry after a lost response).
            if record.state == .done, let lease = record.lease, ConstantTime.equal(lease.token, token) {
                return (record, .completed)
            }
            try checkHolder(record, token: token)
            next.state = .done
            next.cancelRequested = false
            return (next, .completed)

        case .fail(let token, let error):
            try checkHolder(record, token: token)
            return endAttempt(record, error: error)

        case .release(let token):
            try checkHolder(record, token: token)
            next.lease = nil
            if record.cancelRequested {
                next.state = .cancelled
                next.cancelRequested = false
                return (next, .cancelled)
            }
            next.state = .queued
            return (next, .released)

        case .expire:
            guard record.state == .leased, let lease = record.lease, clock.now() >= lease.expiresAt else {
                return (record, .unchanged)
            }
            return endAttempt(record, error: "lease of worker \(lease.workerId) expired")

        case .cancel:
            switch record.state {
            case .queued:
                next.state = .cancelled
                return (next, .cancelled)
            case .leased:
                next.cancelRequested = true
                return (next, .cancelRequested)
            case .done, .dead, .cancelled:
                return (record, .unchanged)
            }

        case .requeue:
            guard record.state == .dead || record.state == .cancelled else {
                return (record, .unchanged)
            }
            next.state = .queued
            next.attempts = 0
            next.cancelRequested = false
            return (next, .requeued)
        }
    }

    /// Throws `staleLease` unless `token` is the current lease's; changes nothing.
    public func checkHolder(_ record: JobRecord, token: String) throws(JobTransitionError) {
        guard record.state == .leased, let lease = record.lease,
              ConstantTime.equal(lease.token, token) else {
            throw .staleLease(state: record.state)
        }
    }

    /// A try ended without success: count it, then retry, bury, or honour a pending cancel.
    private func endAttempt(_ record: JobRecord, error: String) -> (JobRecord, JobAction) {
        var next = record
        next.attempts += 1
        next.lastError = error
        next.lease = nil
        if record.cancelRequested {
            next.state = .cancelled
            next.cancelRequested = false
            return (next, .cancelled)
        }
        if next.attempts >= record.maxAttempts {
            next.state = .dead
            return (next, .died(lastError: error))
        }
        next.state = .queued
        return (next, .retried(attempts: next.attempts, lastError: error))
    }
}
