/// Something that happens to a job: a worker's request, the lease sweeper, or an admin.
public enum JobEvent: Sendable, Equatable {
    case lease(workerId: String, token: String)
    case heartbeat(token: String, samplesDone: Int)
    case complete(token: String)
    case fail(token: String, error: String)
    /// The holder gives the job back unfinished (e.g. on SIGTERM); no attempt is counted.
    case release(token: String)
    /// The sweeper's look at a job: returns it to the queue if its lease is past due.
    case expire
    case cancel
    /// Puts a dead or cancelled job back in the queue with a fresh attempt count.
    case requeue

    public var name: String {
        switch self {
        case .lease: "lease"
        case .heartbeat: "heartbeat"
        case .complete: "complete"
        case .fail: "fail"
        case .release: "release"
        case .expire: "expire"
        case .cancel: "cancel"
        case .requeue: "requeue"
        }
    }
}

/// What the state machine decided; the store turns it into a response.
public enum JobAction: Sendable, Equatable {
    case granted(LeaseHolder)
    case extended(expiresAt: Double, cancel: Bool)
    case completed
    case retried(attempts: Int, lastError: String)
    case released
    case died(lastError: String)
    case cancelled
    case cancelRequested
    case requeued
    case unchanged
}

/// An event that does not apply to the job as it is.
public enum JobTransitionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The token is not the current lease's (the lease expired, was re-leased, or never existed).
    case staleLease(state: JobState)
    case notAllowed(event: String, state: JobState)

    public var description: String {
        switch self {
        case .staleLease(let state): "stale lease token (job is \(state.rawValue))"
        case .notAllowed(let event, let state): "\(event) is not allowed for a \(state.rawValue) job"
        }
    }
}
