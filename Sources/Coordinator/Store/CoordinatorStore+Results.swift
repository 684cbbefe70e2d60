import FleetCore

/// Stored predictions and scores of an experiment, and score uploads from the scoring step.
extension CoordinatorStore {
    public func results(experiment id: String) throws(StoreError) -> ExperimentResults {
        guard let experiment = try read("SELECT spec_json FROM experiments WHERE id = ?", [id]).first else {
            throw .notFound(kind: "experiment", id: id, field: "experiment")
        }
        let spec = try decode(ExperimentSpec.self, experiment["spec_json"].string, table: "experiments", id: id)
        var jobs: [JobResults] = []
        for row in try read("""
            SELECT j.id, j.key, j.state, j.spec_json FROM experiment_jobs e JOIN jobs j ON j.id = e.job_id
            WHERE e.experiment_id = ? ORDER BY j.id
            """, [id]) {
            let jobId = row["id"].int64 ?? -1
            let jobSpec = try decode(JobSpec.self, row["spec_json"].string, table: "jobs", id: "\(jobId)")
            // Every metric as stored (REAL, read as a double): SQLite's json_group_object would
            // print each with 15 digits, and an export imported elsewhere would score a hair off.
            // A sample's first row is its primary metric (the primary flag, then the name).
            var metrics: [String: [String: Double]] = [:]
            var primary: [String: (metric: String, score: Double)] = [:]
            for score in try read("""
                SELECT sample_id, metric, score FROM scores WHERE job_id = ? ORDER BY sample_id, is_primary DESC, metric
                """, [jobId]) {
                guard let sample = score["sample_id"].string, let metric = score["metric"].string,
                      let value = score["score"].double else {
                    throw StoreError.corruptRow(table: "scores", id: "\(jobId)", detail: "a score without sample, metric or value")
                }
                metrics[sample, default: [:]][metric] = value
                if primary[sample] == nil { primary[sample] = (metric, value) }
            }
            var predictions: [PredictionRecord] = []
            for prediction in try read("""
                SELECT p.sample_id, s.sample_json, p.worker_id, p.prediction, p.prompt_tokens, p.generated_tokens,
                       p.prefill_seconds, p.decode_seconds, p.kv_bytes, p.hardware_json
                FROM predictions p JOIN samples s ON s.id = p.sample_id
                JOIN job_samples js ON js.job_id = p.job_id AND js.sample_id = p.sample_id
                WHERE p.job_id = ? ORDER BY js.ordinal
                """, [jobId]) {
                let sampleId = prediction["sample_id"].string ?? ""
                let result = SampleResult(
                    sampleId: sampleId, prediction: prediction["prediction"].string ?? "",
                    promptTokens: prediction["prompt_tokens"].int ?? 0,
                    generatedTokens: prediction["generated_tokens"].int ?? 0,
                    prefillSeconds: prediction["prefill_seconds"].double ?? 0,
                    decodeSeconds: prediction["decode_seconds"].double ?? 0,
                    kvBytes: prediction["kv_bytes"].int ?? 0,
                    hardware: try decode(HardwareClass.self, prediction["hardware_json"].string,
                                         table: "predictions", id: sampleId))
                predictions.append(PredictionRecord(
                    sampleId: sampleId,
                    sample: try decode(SampleSpec.self, prediction["sample_json"].string, table: "samples", id: sampleId),
                    result: result, workerId: prediction["worker_id"].string ?? "",
                    score: primary[sampleId]?.score,
                    metrics: metrics[sampleId],
                    primaryMetric: primary[sampleId]?.metric))
            }
            jobs.append(JobResults(jobId: jobId, key: JobKey(hex: row["key"].string ?? ""),
                                   state: row["state"].string ?? "", spec: jobSpec, predictions: predictions))
        }
        return ExperimentResults(experiment: id, spec: spec, jobs: jobs)
    }

    /// Every sample of the experiment's jobs, each once, in job then run order (`results export`
    /// needs the samples no prediction names yet, so an import can resume the sweep).
    public func samples(experiment id: String) throws(StoreError) -> [StoredSample] {
        guard try !read("SELECT 1 FROM experiments WHERE id = ?", [id]).isEmpty else {
            throw .notFound(kind: "experiment", id: id, field: "experiment")
        }
        var samples: [StoredSample] = []
        var seen = Set<String>()
        for row in try read("""
            SELECT s.id, s.sample_json FROM experiment_jobs e JOIN job_samples j ON j.job_id = e.job_id
            JOIN samples s ON s.id = j.sample_id WHERE e.experiment_id = ? ORDER BY e.job_id, j.ordinal
            """, [id]) {
            let sampleId = row["id"].string ?? ""
            guard seen.insert(sampleId).inserted else { continue }
            samples.append(StoredSample(id: sampleId, sample: try decode(SampleSpec.self, row["sample_json"].string,
                                                                         table: "samples", id: sampleId)))
        }
        return samples
    }

    /// Stores scores computed over stored predictions; a score for the same (job, sample, metric)
    /// replaces the old one, so rescoring after a metric fix needs no model run.
    public func storeScores(_ upload: ScoreUpload) async throws(StoreError) -> ScoreUploadResponse {
        let now = clock.now()
        return try await write { [self] in
            for (index, score) in upload.scores.enumerated() {
                guard try !database.query("SELECT 1 FROM predictions WHERE job_id = ? AND sample_id = ?",
                                          [score.jobId, score.sampleId]).isEmpty else {
                    throw StoreError.notFound(kind: "prediction", id: "\(score.jobId)/\(score.sampleId)",
                                              field: "scores[\(index)]")
                }
                try storeScore(jobId: score.jobId, sampleId: score.sampleId, metric: score.metric, score: score.score,
                               primary: score.primary ?? true, field: "scores[\(index)]", at: now)
            }
            return ScoreUploadResponse(stored: upload.scores.count)
        }
    }

    /// Inserts or replaces one metric of one sample (inside a write). A primary score demotes the
    /// sample's other metrics, so exactly one stays primary after a metric is renamed.
    func storeScore(jobId: Int64, sampleId: String, metric: String, score: Double, primary: Bool,
                    field: String, at time: Double? = nil) throws {
        guard score.isFinite, (0...1).contains(score) else {
            throw StoreError.invalid(field: field + ".score", reason: "must be in 0...1, got \(score)")
        }
        guard !metric.isEmpty, metric.utf8.count <= 200 else {
            throw StoreError.invalid(field: field + ".metric", reason: "must be 1...200 bytes")
        }
        if primary {
            try database.execute("UPDATE scores SET is_primary = 0 WHERE job_id = ? AND sample_id = ? AND metric != ?",
                                 [jobId, sampleId, metric])
        }
        try database.execute("""
            INSERT INTO scores (job_id, sample_id, metric, score, scored_at, is_primary) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (job_id, sample_id, metric) DO UPDATE SET score = excluded.score,
                scored_at = excluded.scored_at, is_primary = excluded.is_primary
            """, [jobId, sampleId, metric, score, time ?? clock.now(), primary ? 1 : 0])
    }

}
