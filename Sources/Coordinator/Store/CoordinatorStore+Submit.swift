import FleetCore

/// Submitting a sweep: expand it, store what is new, link what exists.
extension CoordinatorStore {
    public func submit(_ request: SubmitRequest) async throws(StoreError) -> SubmitResponse {
        let expanded: ExpandedExperiment
        do {
            expanded = try ExperimentExpansion.expand(request.spec, samples: request.samples)
        } catch {
            throw .invalid(field: error.field, reason: error.reason)
        }
        if let haystack = request.spec.needle?.settings.haystackSha256,
           try read("SELECT 1 FROM blobs WHERE sha256 = ?", [haystack]).isEmpty {
            // Jobs naming a haystack no worker can fetch would only fail later, one by one.
            throw .notFound(kind: "haystack blob", id: haystack,
                            field: "spec.needle.settings.haystack_sha256")
        }
        let specJSON = try json(request.spec)
        var sampleJSON: [(String, String)] = []
        for sample in expanded.samples { sampleJSON.append((sample.id, try json(sample.sample))) }
        var jobJSON: [(ExpandedJob, String)] = []
        for job in expanded.jobs { jobJSON.append((job, try json(job.spec))) }

        let now = clock.now()
        let spec = request.spec
        return try await write { [self] in
            try database.execute("""
                INSERT INTO experiments (id, benchmark, spec_json, priority, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """, [expanded.experimentId, spec.benchmark.rawValue, specJSON, spec.priority, now])
            for (id, text) in sampleJSON {
                try database.execute("INSERT INTO samples (id, sample_json) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                                     [id, text])
            }
            var created = 0
            var existing = 0
            for (job, text) in jobJSON {
                let jobId: Int64
                if let row = try database.query("SELECT id FROM jobs WHERE key = ?", [job.key.hex]).first,
                   let id = row["id"].int64 {
                    existing += 1
                    jobId = id
                    try database.execute("UPDATE jobs SET priority = max(priority, ?) WHERE id = ?",
                                         [spec.priority, jobId])
                } else {
                    created += 1
                    try database.execute("""
                        INSERT INTO jobs (key, spec_json, model_sha256, priority, max_attempts, samples_total,
                                          created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, [job.key.hex, text, job.spec.modelSha256, spec.priority, spec.maxAttempts,
                              job.spec.sampleIds.count, now, now])
                    jobId = database.lastInsertRowID
                    for (ordinal, sampleId) in job.spec.sampleIds.enumerated() {
                        try database.execute("INSERT INTO job_samples (job_id, ordinal, sample_id) VALUES (?, ?, ?)",
                                             [jobId, ordinal, sampleId])
                    }
                }
                try database.execute("""
                    INSERT INTO experiment_jobs (experiment_id, job_id) VALUES (?, ?)
                    ON CONFLICT DO NOTHING
                    """, [expanded.experimentId, jobId])
            }
            return SubmitResponse(experiment: expanded.experimentId, jobsCreated: created, jobsExisting: existing)
        }
    }
}
