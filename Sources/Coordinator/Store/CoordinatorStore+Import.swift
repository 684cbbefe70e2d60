import FleetCore

/// `results import`: an exported experiment's jobs, samples, predictions and scores stored as if
/// this coordinator had run them. Content-keyed throughout (job keys, sample ids, one prediction
/// per job × sample), so a second import or an overlap with local runs stores nothing twice; a
/// job whose samples all have predictions is done, one with gaps stays queued and a worker runs
/// only the missing samples (a half-done sweep resumes).
extension CoordinatorStore {
    public func importResults(_ batch: ResultsExport.Batch) async throws(StoreError) -> ResultsExport.ImportResponse {
        guard batch.experiment.hasPrefix("exp-"), batch.experiment.utf8.count <= 64 else {
            throw .invalid(field: "experiment", reason: "must be an experiment id (exp-…), got '\(batch.experiment)'")
        }
        // Every key and id is checked against its content: an edited file cannot pass off one
        // job's or sample's results as another's.
        var sampleJSON: [(String, String)] = []
        for (index, sample) in batch.samples.enumerated() {
            let id: String
            do { id = try sample.sample.id() } catch { throw .invalid(field: "samples[\(index)]", reason: error.description) }
            guard id == sample.id else {
                throw .invalid(field: "samples[\(index)].id", reason: "is \(sample.id) but the sample hashes to \(id)")
            }
            sampleJSON.append((id, try json(sample.sample)))
        }
        var jobJSON: [String] = []
        for (index, job) in batch.jobs.enumerated() {
            let key: JobKey
            do { key = try job.spec.key() } catch { throw .invalid(field: "jobs[\(index)].spec", reason: error.description) }
            guard key == job.key else {
                throw .invalid(field: "jobs[\(index)].key", reason: "is \(job.key.hex) but the spec hashes to \(key.hex)")
            }
            guard ContentHash.isSHA256Hex(job.spec.modelSha256) else {
                throw .invalid(field: "jobs[\(index)].spec.model_sha256", reason: "must be 64 lower-case hex digits")
            }
            let ids = Set(job.spec.sampleIds)
            if let stray = job.predictions.firstIndex(where: { !ids.contains($0.result.sampleId) }) {
                throw .invalid(field: "jobs[\(index)].predictions[\(stray)].result.sample_id",
                               reason: "\(job.predictions[stray].result.sampleId) is not a sample of this job")
            }
            jobJSON.append(try json(job.spec))
        }
        var hardwareJSON: [[String]] = []
        for job in batch.jobs { hardwareJSON.append(try job.predictions.map { p throws(StoreError) in try json(p.result.hardware) }) }
        let specJSON = try json(batch.spec)
        let now = clock.now()
        return try await write { [self] in
            try database.execute("""
                INSERT INTO experiments (id, benchmark, spec_json, priority, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """, [batch.experiment, batch.spec.benchmark.rawValue, specJSON, batch.spec.priority, now])
            for (id, text) in sampleJSON {
                try database.execute("INSERT INTO samples (id, sample_json) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", [id, text])
            }
            var created = 0, existing = 0, stored = 0, already = 0
            for (index, job) in batch.jobs.enumerated() {
                for (ordinal, sampleId) in job.spec.sampleIds.enumerated()
                where try database.query("SELECT 1 FROM samples WHERE id = ?", [sampleId]).isEmpty {
                    throw StoreError.invalid(field: "jobs[\(index)].spec.sample_ids[\(ordinal)]",
                                             reason: "sample \(sampleId) is neither in this batch nor stored")
                }
                let jobId: Int64
                if let row = try database.query("SELECT id FROM jobs WHERE key = ?", [job.key.hex]).first, let id = row["id"].int64 {
                    existing += 1
                    jobId = id
                } else {
                    created += 1
                    try database.execute("""
                        INSERT INTO jobs (key, spec_json, model_sha256, priority, max_attempts, samples_total, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, [job.key.hex, jobJSON[index], job.spec.modelSha256, batch.spec.priority, batch.spec.maxAttempts,
                              job.spec.sampleIds.count, now, now])
                    jobId = database.lastInsertRowID
                    for (ordinal, sampleId) in job.spec.sampleIds.enumerated() {
                        try database.execute("INSERT INTO job_samples (job_id, ordinal, sample_id) VALUES (?, ?, ?)",
                                             [jobId, ordinal, sampleId])
                    }
                }
                try database.execute("INSERT INTO experiment_jobs (experiment_id, job_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                     [batch.experiment, jobId])
                for (p, prediction) in job.predictions.enumerated() {
                    let result = prediction.result
                    let changes = try database.execute("""
                        INSERT INTO predictions (job_id, sample_id, worker_id, prediction, prompt_tokens,
                            generated_tokens, prefill_seconds, decode_seconds, kv_bytes, hardware_json, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (job_id, sample_id) DO NOTHING
                        """, [jobId, result.sampleId, prediction.workerId, result.prediction, result.promptTokens,
                              result.generatedTokens, result.prefillSeconds, result.decodeSeconds, result.kvBytes,
                              hardwareJSON[index][p], now])
                    guard changes == 1 else { already += 1; continue }
                    stored += 1
                    // The primary metric last, so it is the one left primary.
                    let primary = prediction.resolvedPrimaryMetric
                    let metrics = (prediction.metrics ?? [:]).sorted { a, b in
                        (a.key == primary ? 1 : 0, a.key) < (b.key == primary ? 1 : 0, b.key)
                    }
                    for (metric, score) in metrics {
                        try storeScore(jobId: jobId, sampleId: result.sampleId, metric: metric, score: score,
                                       primary: metric == primary,
                                       field: "jobs[\(index)].predictions[\(p)].metrics.\(metric)", at: now)
                    }
                }
                // Complete when nothing is missing; a leased job is left to its holder.
                try database.execute("""
                    UPDATE jobs SET state = 'done', samples_done = samples_total, updated_at = ?1
                    WHERE id = ?2 AND state IN ('queued', 'dead')
                      AND NOT EXISTS (SELECT 1 FROM job_samples s WHERE s.job_id = ?2
                          AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.job_id = ?2 AND p.sample_id = s.sample_id))
                    """, [now, jobId])
            }
            return ResultsExport.ImportResponse(experiment: batch.experiment, jobsCreated: created, jobsExisting: existing,
                                                predictionsStored: stored, predictionsExisting: already)
        }
    }
}
