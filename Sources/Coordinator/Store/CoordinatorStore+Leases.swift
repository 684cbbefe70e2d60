import FleetCore

/// The worker side: claim, heartbeat, per-sample posts, complete/fail/release, expiry sweep.
extension CoordinatorStore {
    /// Claims the highest-priority queued job for a model the worker holds, keyed with numerics
    /// the worker runs, in one transaction.
    /// Returns nil when none fits.
    public func lease(_ request: LeaseRequest) async throws(StoreError) -> Lease? {
        guard let claimed = try await leaseWire(request) else { return nil }
        let spec = try decode(JobSpec.self, claimed.specJSON, table: "jobs", id: "\(claimed.grant.jobId)")
        return claimed.grant.lease(spec: spec)
    }

    /// `lease` for the HTTP API: the spec stays the canonical JSON stored at submit, so the
    /// answer is spliced rather than decoded and encoded again (this runs once per job).
    public func leaseWire(_ request: LeaseRequest) async throws(StoreError) -> (grant: LeaseGrant, specJSON: String)? {
        guard !request.workerId.isEmpty else { throw .invalid(field: "worker_id", reason: "must not be empty") }
        let hardware = try json(request.hardware)
        let models = try json(request.models)
        let versions = try json(request.versionsByMode)
        let token = Self.randomToken()
        return try await write { [self] in
            try recordWorker(request.workerId, hardware: hardware, models: models)
            guard let row = try database.query("""
                SELECT id, key, spec_json FROM jobs
                WHERE state = 'queued' AND cancel_requested = 0
                  AND model_sha256 IN (SELECT value FROM json_each(?))
                  AND json_extract(spec_json, '$.engine_version')
                      = json_extract(?, '$.' || coalesce(json_extract(spec_json, '$.activations'), 'f32'))
                ORDER BY priority DESC, id LIMIT 1
                """, [models, versions]).first, let jobId = row["id"].int64 else {
                return nil
            }
            guard let specJSON = row["spec_json"].string else {
                throw StoreError.corruptRow(table: "jobs", id: "\(jobId)", detail: "missing spec_json")
            }
            let (record, action) = try transition(jobId, .lease(workerId: request.workerId, token: token))
            guard case .granted(let holder) = action else {
                throw StoreError.conflict(field: "job_id", reason: "job \(jobId) could not be leased")
            }
            let pending = try database.query("""
                SELECT s.sample_id FROM job_samples s
                WHERE s.job_id = ?1
                  AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.job_id = ?1 AND p.sample_id = s.sample_id)
                ORDER BY s.ordinal
                """, [jobId]).compactMap { $0["sample_id"].string }
            let grant = LeaseGrant(jobId: jobId, jobKey: JobKey(hex: row["key"].string ?? ""), token: holder.token,
                                   expiresAt: holder.expiresAt, leaseSeconds: machine.leaseSeconds,
                                   attempt: record.attempts + 1, pendingSampleIds: pending)
            return (grant, specJSON)
        }
    }

    public func heartbeat(job jobId: Int64, _ request: HeartbeatRequest) async throws(StoreError) -> HeartbeatResponse {
        try await write { [self] in
            let (record, action) = try transition(jobId, .heartbeat(token: request.token,
                                                                  samplesDone: request.samplesDone))
            if let worker = record.lease?.workerId {
                try database.execute("UPDATE workers SET last_seen = ? WHERE id = ?", [clock.now(), worker])
            }
            guard case .extended(let expiresAt, let cancel) = action else {
                throw StoreError.conflict(field: "job_id", reason: "job \(jobId) lease was not extended")
            }
            return HeartbeatResponse(expiresAt: expiresAt, cancel: cancel)
        }
    }

    /// Stores one sample's prediction. Fenced by the lease token (stale → `staleLease`, nothing
    /// changes) and idempotent per (job, sample): a repeat returns `stored: false`.
    public func postPrediction(job jobId: Int64, _ post: PredictionPost) async throws(StoreError) -> PredictionAck {
        let hardware = try json(post.result.hardware)
        let result = post.result
        return try await write { [self] in
            let record = try requireLeaseHolder(jobId, token: post.token)
            guard try !database.query("SELECT 1 FROM job_samples WHERE job_id = ? AND sample_id = ?",
                                      [jobId, result.sampleId]).isEmpty else {
                throw StoreError.notFound(kind: "sample of job \(jobId)", id: result.sampleId,
                                          field: "result.sample_id")
            }
            let changes = try database.execute("""
                INSERT INTO predictions (job_id, sample_id, worker_id, prediction, prompt_tokens,
                    generated_tokens, prefill_seconds, decode_seconds, kv_bytes, hardware_json, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (job_id, sample_id) DO NOTHING
                """, [jobId, result.sampleId, record.lease?.workerId ?? "", result.prediction, result.promptTokens,
                      result.generatedTokens, result.prefillSeconds, result.decodeSeconds, result.kvBytes,
                      hardware, clock.now()])
            // The worker's scores are stored with the prediction they score, in the same commit;
            // a repeated post changes neither.
            if changes == 1, let scores = result.scores {
                for (index, score) in scores.enumerated() {
                    try storeScore(jobId: jobId, sampleId: result.sampleId, metric: score.metric, score: score.score,
                                   primary: index == 0, field: "result.scores[\(index)]")
                }
            }
            return PredictionAck(stored: changes == 1)
        }
    }

    /// Marks the job done; every sample must have its prediction.
    public func complete(job jobId: Int64, token: String) async throws(StoreError) -> JobStateResponse {
        try await write { [self] in
            if try loadJob(jobId).state == .done {
                // A retry after a lost response: answered again for the holder that completed it.
                let (record, _) = try transition(jobId, .complete(token: token))
                return JobStateResponse(jobId: jobId, state: record.state.rawValue)
            }
            let holder = try requireLeaseHolder(jobId, token: token)
            let missing = try database.query("""
                SELECT count(*) AS n FROM job_samples s
                WHERE s.job_id = ?1
                  AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.job_id = ?1 AND p.sample_id = s.sample_id)
                """, [jobId]).first?["n"].int ?? 0
            guard missing == 0 else {
                throw StoreError.conflict(field: "job_id",
                                          reason: "job \(jobId) still has \(missing) samples without a prediction")
            }
            let (record, _) = try transition(jobId, .complete(token: token))
            if let worker = holder.lease?.workerId {
                try database.execute("UPDATE workers SET jobs_done = jobs_done + 1, last_seen = ? WHERE id = ?",
                                     [clock.now(), worker])
            }
            return JobStateResponse(jobId: jobId, state: record.state.rawValue)
        }
    }

    /// The holder reports a failure: retried until `max_attempts`, then dead with this error.
    public func fail(job jobId: Int64, _ request: FailRequest) async throws(StoreError) -> JobStateResponse {
        try await write { [self] in
            let (record, _) = try transition(jobId, .fail(token: request.token, error: request.error))
            return JobStateResponse(jobId: jobId, state: record.state.rawValue)
        }
    }

    /// The holder gives the job back unfinished (no attempt counted).
    public func release(job jobId: Int64, token: String) async throws(StoreError) -> JobStateResponse {
        try await write { [self] in
            let (record, _) = try transition(jobId, .release(token: token))
            return JobStateResponse(jobId: jobId, state: record.state.rawValue)
        }
    }

    /// Returns every job whose lease is past due to the queue (or to dead); returns how many.
    @discardableResult
    public func sweepExpiredLeases() async throws(StoreError) -> Int {
        let now = clock.now()
        guard try !read("SELECT 1 FROM jobs WHERE state = 'leased' AND lease_expires_at <= ? LIMIT 1", [now]).isEmpty
        else { return 0 }
        return try await write { [self] in
            // Read again inside the batch: a heartbeat queued ahead of this write may have saved a job.
            let due = try database.query("SELECT id FROM jobs WHERE state = 'leased' AND lease_expires_at <= ?",
                                         [clock.now()])
            var swept = 0
            for row in due {
                guard let jobId = row["id"].int64 else { continue }
                if try transition(jobId, .expire).1 != .unchanged { swept += 1 }
            }
            return swept
        }
    }

    /// The samples of a job, in run order (workers fetch them after leasing).
    public func samples(job jobId: Int64) throws(StoreError) -> [StoredSample] {
        _ = try loadJob(jobId)
        var samples: [StoredSample] = []
        for row in try read("""
            SELECT s.id, s.sample_json FROM job_samples j JOIN samples s ON s.id = j.sample_id
            WHERE j.job_id = ? ORDER BY j.ordinal
            """, [jobId]) {
            let id = row["id"].string ?? ""
            samples.append(StoredSample(id: id, sample: try decode(SampleSpec.self, row["sample_json"].string,
                                                                   table: "samples", id: id)))
        }
        return samples
    }

    public func workers() throws(StoreError) -> [WorkerInfo] {
        var workers: [WorkerInfo] = []
        for row in try read("""
            SELECT w.id, w.hardware_json, w.models_json, w.last_seen, w.jobs_done,
                   (SELECT j.id FROM jobs j WHERE j.state = 'leased' AND j.lease_worker = w.id LIMIT 1) AS job
            FROM workers w ORDER BY w.id
            """) {
            let id = row["id"].string ?? ""
            workers.append(WorkerInfo(
                id: id,
                hardware: try decode(HardwareClass.self, row["hardware_json"].string, table: "workers", id: id),
                models: try decode([String].self, row["models_json"].string, table: "workers", id: id),
                lastSeen: row["last_seen"].double ?? 0, jobsDone: row["jobs_done"].int ?? 0,
                currentJobId: row["job"].int64))
        }
        return workers
    }

    private func recordWorker(_ id: String, hardware: String, models: String) throws {
        try database.execute("""
            INSERT INTO workers (id, hardware_json, models_json, last_seen) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET hardware_json = excluded.hardware_json,
                models_json = excluded.models_json, last_seen = excluded.last_seen
            """, [id, hardware, models, clock.now()])
    }
}
