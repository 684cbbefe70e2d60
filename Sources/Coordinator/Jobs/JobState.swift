/// Where a job is in its life (design §4). Stored in the `jobs.state` column as the raw value.
public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued
    case leased
    case done
    case dead
    case cancelled
}

/// Who holds a job and until when; `token` fences every write of the holder. A done job keeps
/// the holder that completed it, so that holder's repeated `complete` is answered again.
public struct LeaseHolder: Sendable, Equatable {
    public var workerId: String
    public var token: String
    public var expiresAt: Double

    public init(workerId: String, token: String, expiresAt: Double) {
        self.workerId = workerId
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// The lifecycle fields of one job: what the state machine reads and writes.
public struct JobRecord: Sendable, Equatable {
    public var state: JobState
    /// Tries that ended without success (failed or expired).
    public var attempts: Int
    public var maxAttempts: Int
    public var lease: LeaseHolder?
    public var lastError: String?
    /// Set by cancel while the job is leased; the holder learns it from its next heartbeat.
    public var cancelRequested: Bool
    public var samplesDone: Int

    public init(state: JobState = .queued, attempts: Int = 0, maxAttempts: Int, lease: LeaseHolder? = nil,
                lastError: String? = nil, cancelRequested: Bool = false, samplesDone: Int = 0) {
        self.state = state
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.lease = lease
        self.lastError = lastError
        self.cancelRequested = cancelRequested
        self.samplesDone = samplesDone
    }
}
