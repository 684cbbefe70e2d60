import Coordinator
import Testing

@Suite struct JobStateMachineTests {
    let clock = ManualClock()
    var machine: JobStateMachine { JobStateMachine(clock: clock, leaseSeconds: 60) }

    func leased(_ record: JobRecord = JobRecord(maxAttempts: 3), token: String = "t1") throws -> JobRecord {
        try machine.apply(.lease(workerId: "w1", token: token), to: record).0
    }

    @Test func leaseGrantsHolderUntilNowPlusLeaseSeconds() throws {
        let (record, action) = try machine.apply(.lease(workerId: "w1", token: "t1"), to: JobRecord(maxAttempts: 3))
        let holder = LeaseHolder(workerId: "w1", token: "t1", expiresAt: clock.now() + 60)
        #expect(record.state == .leased)
        #expect(record.lease == holder)
        #expect(action == .granted(holder))
    }

    @Test func onlyQueuedJobsCanBeLeased() throws {
        let record = try leased()
        #expect(throws: JobTransitionError.notAllowed(event: "lease", state: .leased)) {
            try machine.apply(.lease(workerId: "w2", token: "t2"), to: record)
        }
    }

    @Test func heartbeatExtendsLeaseAndReportsProgress() throws {
        let record = try leased()
        clock.advance(45)
        let (extended, action) = try machine.apply(.heartbeat(token: "t1", samplesDone: 4), to: record)
        #expect(action == .extended(expiresAt: clock.now() + 60, cancel: false))
        #expect(extended.lease?.expiresAt == clock.now() + 60)
        #expect(extended.samplesDone == 4)
        // The old deadline has passed, the new one has not: the sweeper leaves it alone.
        clock.advance(30)
        #expect(try machine.apply(.expire, to: extended).1 == .unchanged)
    }

    @Test func heartbeatWithStaleTokenIsRefused() throws {
        let record = try leased()
        #expect(throws: JobTransitionError.staleLease(state: .leased)) {
            try machine.apply(.heartbeat(token: "other", samplesDone: 0), to: record)
        }
        #expect(throws: JobTransitionError.staleLease(state: .queued)) {
            try machine.apply(.heartbeat(token: "t1", samplesDone: 0), to: JobRecord(maxAttempts: 3))
        }
    }

    @Test func expiryBeforeDeadlineChangesNothing() throws {
        let record = try leased()
        clock.advance(59.9)
        let (same, action) = try machine.apply(.expire, to: record)
        #expect(action == .unchanged)
        #expect(same == record)
    }

    @Test func expiredLeaseReturnsJobToQueueAndCountsAnAttempt() throws {
        let record = try leased()
        clock.advance(60)
        let (queued, action) = try machine.apply(.expire, to: record)
        #expect(queued.state == .queued)
        #expect(queued.attempts == 1)
        #expect(queued.lease == nil)
        #expect(action == .retried(attempts: 1, lastError: "lease of worker w1 expired"))
        // The old holder is fenced off.
        #expect(throws: JobTransitionError.staleLease(state: .queued)) {
            try machine.apply(.complete(token: "t1"), to: queued)
        }
    }

    @Test func failureRetriesUntilMaxAttemptsThenDies() throws {
        var record = JobRecord(maxAttempts: 2)
        record = try leased(record, token: "a")
        let (retried, first) = try machine.apply(.fail(token: "a", error: "oom"), to: record)
        #expect(first == .retried(attempts: 1, lastError: "oom"))
        #expect(retried.state == .queued)
        let again = try leased(retried, token: "b")
        let (dead, second) = try machine.apply(.fail(token: "b", error: "oom again"), to: again)
        #expect(second == .died(lastError: "oom again"))
        #expect(dead.state == .dead)
        #expect(dead.attempts == 2)
        #expect(dead.lastError == "oom again")
        #expect(throws: JobTransitionError.notAllowed(event: "lease", state: .dead)) {
            try machine.apply(.lease(workerId: "w", token: "c"), to: dead)
        }
    }

    @Test func expiryPastMaxAttemptsKillsTheJob() throws {
        let record = try leased(JobRecord(maxAttempts: 1))
        clock.advance(61)
        let (dead, action) = try machine.apply(.expire, to: record)
        #expect(dead.state == .dead)
        #expect(action == .died(lastError: "lease of worker w1 expired"))
    }

    @Test func completeWithCurrentTokenFinishesTheJob() throws {
        let (done, action) = try machine.apply(.complete(token: "t1"), to: try leased())
        #expect(done.state == .done)
        #expect(action == .completed)
        #expect(try machine.apply(.expire, to: done).1 == .unchanged)
        // A retried complete from the same holder is answered again; anyone else is stale.
        #expect(try machine.apply(.complete(token: "t1"), to: done) == (done, .completed))
        #expect(throws: JobTransitionError.staleLease(state: .done)) {
            try machine.apply(.complete(token: "t2"), to: done)
        }
        #expect(throws: JobTransitionError.staleLease(state: .done)) {
            try machine.apply(.heartbeat(token: "t1", samplesDone: 1), to: done)
        }
    }

    @Test func releaseRequeuesWithoutCountingAnAttempt() throws {
        let (released, action) = try machine.apply(.release(token: "t1"), to: try leased())
        #expect(action == .released)
        #expect(released.state == .queued)
        #expect(released.attempts == 0)
    }

    @Test func cancelOfQueuedJobIsImmediate() throws {
        let (cancelled, action) = try machine.apply(.cancel, to: JobRecord(maxAttempts: 3))
        #expect(cancelled.state == .cancelled)
        #expect(action == .cancelled)
    }

    @Test func cancelOfLeasedJobIsSeenAtNextHeartbeatAndEndsOnRelease() throws {
        let (flagged, action) = try machine.apply(.cancel, to: try leased())
        #expect(action == .cancelRequested)
        #expect(flagged.state == .leased)
        let (_, beat) = try machine.apply(.heartbeat(token: "t1", samplesDone: 1), to: flagged)
        #expect(beat == .extended(expiresAt: clock.now() + 60, cancel: true))
        let (cancelled, end) = try machine.apply(.release(token: "t1"), to: flagged)
        #expect(end == .cancelled)
        #expect(cancelled.state == .cancelled)
    }

    @Test func cancelledLeaseThatExpiresEndsCancelled() throws {
        let (flagged, _) = try machine.apply(.cancel, to: try leased())
        clock.advance(120)
        #expect(try machine.apply(.expire, to: flagged).0.state == .cancelled)
    }

    @Test func cancelLeavesFinishedJobsAlone() throws {
        let (done, _) = try machine.apply(.complete(token: "t1"), to: try leased())
        #expect(try machine.apply(.cancel, to: done).1 == .unchanged)
    }

    @Test func requeueOfDeadJobResetsAttemptsAndKeepsLastError() throws {
        let dead = JobRecord(state: .dead, attempts: 3, maxAttempts: 3, lastError: "boom")
        let (queued, action) = try machine.apply(.requeue, to: dead)
        #expect(action == .requeued)
        #expect(queued.state == .queued)
        #expect(queued.attempts == 0)
        #expect(queued.lastError == "boom")
        #expect(try machine.apply(.requeue, to: JobRecord(state: .done, maxAttempts: 3)).1 == .unchanged)
        let cancelled = JobRecord(state: .cancelled, maxAttempts: 3)
        #expect(try machine.apply(.requeue, to: cancelled).0.state == .queued)
    }
}

@Suite struct ConstantTimeTests {
    @Test func equalOnlyForIdenticalStrings() {
        #expect(ConstantTime.equal("secret-token", "secret-token"))
        #expect(!ConstantTime.equal("secret-token", "secret-tokeN"))
        #expect(!ConstantTime.equal("secret", "secret-token"))
        #expect(!ConstantTime.equal("", "x"))
        #expect(ConstantTime.equal("", ""))
    }
}
