import PolicySpec

/// Worker → coordinator: "give me a job". Only jobs for models the worker holds, keyed with
/// numerics it runs, are offered.
public struct LeaseRequest: Codable, Sendable, Hashable {
    public var workerId: String
    public var hardware: HardwareClass
    /// sha256 of each model file the worker holds.
    public var models: [String]
    /// The numerics version the worker runs in each mode, by the mode's name (`EngineNumerics.byMode`):
    /// it is leased only jobs whose `engine_version` is its version for the job's mode. A worker
    /// that sends none (older builds, one version for both modes) runs `hardware.engine_version`.
    public var engineVersions: [String: String]?

    public init(workerId: String, hardware: HardwareClass, models: [String],
                engineVersions: [String: String]? = EngineNumerics.byMode) {
        self.workerId = workerId
        self.hardware = hardware
        self.models = models
        self.engineVersions = engineVersions
    }

    /// The version this worker runs in each mode.
    public var versionsByMode: [String: String] {
        engineVersions ?? Dictionary(uniqueKeysWithValues: ActivationPrecision.allCases.map { ($0.rawValue, hardware.engineVersion) })
    }

    private enum CodingKeys: String, CodingKey {
        case workerId = "worker_id", hardware, models, engineVersions = "engine_versions"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workerId = try c.decode(String.self, forKey: .workerId)
        hardware = try c.decode(HardwareClass.self, forKey: .hardware)
        models = try c.decode([String].self, forKey: .models)
        // Builds of 2026-12-07 between 2a59c53 and cfc4339 sent a list, which could not say which
        // mode runs which version: refuse it by name rather than with a bare type mismatch.
        if (try? c.decodeIfPresent([String].self, forKey: .engineVersions)) != nil {
            throw DecodingError.dataCorruptedError(
                forKey: .engineVersions, in: c,
                debugDescription: "engine_versions is a list (a worker build of 2026-12-07 before c93501b); it must be an object from mode to version, e.g. {\"f32\": \"0.2.0\", \"int8\": \"0.3.0\"}: upgrade the worker")
        }
        engineVersions = try c.decodeIfPresent([String: String].self, forKey: .engineVersions)
    }
}

/// A granted lease: the job, the fencing token, and the samples still without a prediction.
public struct Lease: Codable, Sendable, Hashable {
    public var jobId: Int64
    public var jobKey: JobKey
    public var token: String
    /// Seconds since 1970.
    public var expiresAt: Double
    public var leaseSeconds: Double
    /// 1 for the first try; grows with each failed or expired try.
    public var attempt: Int
    public var spec: JobSpec
    public var pendingSampleIds: [String]

    public init(jobId: Int64, jobKey: JobKey, token: String, expiresAt: Double, leaseSeconds: Double,
                attempt: Int, spec: JobSpec, pendingSampleIds: [String]) {
        self.jobId = jobId
        self.jobKey = jobKey
        self.token = token
        self.expiresAt = expiresAt
        self.leaseSeconds = leaseSeconds
        self.attempt = attempt
        self.spec = spec
        self.pendingSampleIds = pendingSampleIds
    }

    private enum CodingKeys: String, CodingKey {
        case jobId = "job_id", jobKey = "job_key", token, expiresAt = "expires_at",
            leaseSeconds = "lease_seconds", attempt, spec, pendingSampleIds = "pending_sample_ids"
    }
}

/// Coordinator → worker: a lease, or none (the "lease" key is absent) when no job fits.
public struct LeaseResponse: Codable, Sendable, Hashable {
    public var lease: Lease?

    public init(lease: Lease?) { self.lease = lease }
}

public struct HeartbeatRequest: Codable, Sendable, Hashable {
    public var token: String
    public var samplesDone: Int

    public init(token: String, samplesDone: Int) {
        self.token = token
        self.samplesDone = samplesDone
    }

    private enum CodingKeys: String, CodingKey {
        case token, samplesDone = "samples_done"
    }
}

public struct HeartbeatResponse: Codable, Sendable, Hashable {
    public var expiresAt: Double
    /// True when the job was cancelled: stop and release it.
    public var cancel: Bool

    public init(expiresAt: Double, cancel: Bool) {
        self.expiresAt = expiresAt
        self.cancel = cancel
    }

    private enum CodingKeys: String, CodingKey {
        case expiresAt = "expires_at", cancel
    }
}

/// One metric's value for one sample, in 0...1.
public struct MetricScore: Codable, Sendable, Hashable {
    public var metric: String
    public var score: Double

    public init(metric: String, score: Double) {
        self.metric = metric
        self.score = score
    }
}

/// One sample's raw output (design §4: predictions are stored raw) and the worker's scores of it;
/// stored scores can be recomputed from the raw prediction (`pyramidkv rescore`).
public struct SampleResult: Codable, Sendable, Hashable {
    public var sampleId: String
    public var prediction: String
    public var promptTokens: Int
    public var generatedTokens: Int
    public var prefillSeconds: Double
    public var decodeSeconds: Double
    /// Bytes held by the compressed KV cache after prefill, in the layout actually used.
    public var kvBytes: Int
    public var hardware: HardwareClass
    /// The sample's scores, the benchmark's primary metric first; nil when the worker did not score.
    public var scores: [MetricScore]?

    public init(sampleId: String, prediction: String, promptTokens: Int, generatedTokens: Int,
                prefillSeconds: Double, decodeSeconds: Double, kvBytes: Int, hardware: HardwareClass,
                scores: [MetricScore]? = nil) {
        self.sampleId = sampleId
        self.prediction = prediction
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
        self.kvBytes = kvBytes
        self.hardware = hardware
        self.scores = scores
    }

    private enum CodingKeys: String, CodingKey {
        case sampleId = "sample_id", prediction, promptTokens = "prompt_tokens",
            generatedTokens = "generated_tokens", prefillSeconds = "prefill_seconds",
            decodeSeconds = "decode_seconds", kvBytes = "kv_bytes", hardware, scores
    }
}

public struct PredictionPost: Codable, Sendable, Hashable {
    public var token: String
    public var result: SampleResult

    public init(token: String, result: SampleResult) {
        self.token = token
        self.result = result
    }
}

public struct PredictionAck: Codable, Sendable, Hashable {
    /// False when this (job, sample) already had a prediction: the post changed nothing.
    public var stored: Bool

    public init(stored: Bool) { self.stored = stored }
}

public struct CompleteRequest: Codable, Sendable, Hashable {
    public var token: String

    public init(token: String) { self.token = token }
}

public struct FailRequest: Codable, Sendable, Hashable {
    public var token: String
    public var error: String

    public init(token: String, error: String) {
        self.token = token
        self.error = error
    }
}

/// The job's state after complete/fail.
public struct JobStateResponse: Codable, Sendable, Hashable {
    public var jobId: Int64
    public var state: String

    public init(jobId: Int64, state: String) {
        self.jobId = jobId
        self.state = state
    }

    private enum CodingKeys: String, CodingKey {
        case jobId = "job_id", state
    }
}
