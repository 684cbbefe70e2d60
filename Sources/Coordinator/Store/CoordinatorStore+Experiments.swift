import FleetCore

/// Experiment progress, cancel and requeue.
extension CoordinatorStore {
    /// How far back the rates behind tokens/s and the ETA look.
    static let rateWindowSeconds = 300.0

    public func experiments() throws(StoreError) -> [ExperimentStatus] {
        var result: [ExperimentStatus] = []
        for row in try read("SELECT id FROM experiments ORDER BY created_at, id") {
            if let id = row["id"].string { result.append(try experimentStatus(id)) }
        }
        return result
    }

    public func experimentStatus(_ id: String) throws(StoreError) -> ExperimentStatus {
        guard let experiment = try read("""
            SELECT benchmark, priority, cancelled, created_at FROM experiments WHERE id = ?
            """, [id]).first else {
            throw .notFound(kind: "experiment", id: id, field: "experiment")
        }
        var jobs = JobCounts()
        var samplesTotal = 0
        for row in try read("""
            SELECT j.state AS state, count(*) AS n, sum(j.samples_total) AS samples
            FROM experiment_jobs e JOIN jobs j ON j.id = e.job_id
            WHERE e.experiment_id = ? GROUP BY j.state
            """, [id]) {
            let count = row["n"].int ?? 0
            samplesTotal += row["samples"].int ?? 0
            switch row["state"].string.flatMap(JobState.init(rawValue:)) {
            case .queued: jobs.queued = count
            case .leased: jobs.leased = count
            case .done: jobs.done = count
            case .dead: jobs.dead = count
            case .cancelled: jobs.cancelled = count
            case nil: break
            }
        }
        let since = clock.now() - Self.rateWindowSeconds
        let counts = try read("""
            SELECT count(*) AS done,
                   sum(CASE WHEN p.created_at >= ?1 THEN 1 ELSE 0 END) AS recent,
                   sum(CASE WHEN p.created_at >= ?1 THEN p.generated_tokens ELSE 0 END) AS recent_tokens
            FROM experiment_jobs e JOIN predictions p ON p.job_id = e.job_id
            WHERE e.experiment_id = ?2
            """, [since, id]).first
        let done = counts?["done"].int ?? 0
        let recent = counts?["recent"].int ?? 0
        let recentTokens = counts?["recent_tokens"].int ?? 0
        let samplesPerSecond = Double(recent) / Self.rateWindowSeconds
        let remaining = max(0, samplesTotal - done)
        let eta: Double? = remaining == 0 ? 0 : (samplesPerSecond > 0 ? Double(remaining) / samplesPerSecond : nil)
        return ExperimentStatus(
            experiment: id,
            benchmark: experiment["benchmark"].string.flatMap(Benchmark.init(rawValue:)) ?? .needle,
            priority: experiment["priority"].int ?? 0,
            createdAt: experiment["created_at"].double ?? 0,
            cancelled: experiment["cancelled"].int == 1,
            jobs: jobs,
            samples: SampleCounts(done: done, total: samplesTotal),
            tokensPerSecond: recent > 0 ? Double(recentTokens) / Self.rateWindowSeconds : nil,
            etaSeconds: eta)
    }

    /// Cancels the experiment's jobs: queued ones at once, leased ones at their next heartbeat.
    public func cancel(experiment id: String) async throws(StoreError) -> ExperimentActionResponse {
        try await applyToExperiment(id, event: .cancel, cancelledFlag: true)
    }

    /// Puts the experiment's dead and cancelled jobs back in the queue.
    public func requeue(experiment id: String) async throws(StoreError) -> ExperimentActionResponse {
        try await applyToExperiment(id, event: .requeue, cancelledFlag: false)
    }

    private func applyToExperiment(_ id: String, event: JobEvent,
                                   cancelledFlag: Bool) async throws(StoreError) -> ExperimentActionResponse {
        try await write { [self] in
            guard try !database.query("SELECT 1 FROM experiments WHERE id = ?", [id]).isEmpty else {
                throw StoreError.notFound(kind: "experiment", id: id, field: "experiment")
            }
            try database.execute("UPDATE experiments SET cancelled = ? WHERE id = ?", [cancelledFlag, id])
            var changed = 0
            for row in try database.query("SELECT job_id FROM experiment_jobs WHERE experiment_id = ? ORDER BY job_id",
                                          [id]) {
                guard let jobId = row["job_id"].int64 else { continue }
                if try transition(jobId, event).1 != .unchanged { changed += 1 }
            }
            return ExperimentActionResponse(experiment: id, jobsChanged: changed)
        }
    }
}
