/// Admin → coordinator: a sweep plus, for LongBench, its records (needle cells come from the grid).
public struct SubmitRequest: Codable, Sendable, Hashable {
    public var spec: ExperimentSpec
    public var samples: [SampleSpec]

    public init(spec: ExperimentSpec, samples: [SampleSpec] = []) {
        self.spec = spec
        self.samples = samples
    }
}

/// `pyramidkv submit --json` prints exactly this.
public struct SubmitResponse: Codable, Sendable, Hashable {
    public var experiment: String
    public var jobsCreated: Int
    public var jobsExisting: Int

    public init(experiment: String, jobsCreated: Int, jobsExisting: Int) {
        self.experiment = experiment
        self.jobsCreated = jobsCreated
        self.jobsExisting = jobsExisting
    }

    private enum CodingKeys: String, CodingKey {
        case experiment, jobsCreated = "jobs_created", jobsExisting = "jobs_existing"
    }
}

public struct JobCounts: Codable, Sendable, Hashable {
    public var queued = 0
    public var leased = 0
    public var done = 0
    public var dead = 0
    public var cancelled = 0

    public init(queued: Int = 0, leased: Int = 0, done: Int = 0, dead: Int = 0, cancelled: Int = 0) {
        self.queued = queued
        self.leased = leased
        self.done = done
        self.dead = dead
        self.cancelled = cancelled
    }

    public var total: Int { queued + leased + done + dead + cancelled }
}

public struct SampleCounts: Codable, Sendable, Hashable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }
}

/// Progress of one experiment; `pyramidkv status --json` prints it.
public struct ExperimentStatus: Codable, Sendable, Hashable {
    public var experiment: String
    public var benchmark: Benchmark
    public var priority: Int
    public var createdAt: Double
    public var cancelled: Bool
    public var jobs: JobCounts
    /// (job, sample) pairs: predictions stored / expected.
    public var samples: SampleCounts
    /// Generated tokens per second over the last few minutes of stored predictions.
    public var tokensPerSecond: Double?
    /// Remaining samples at the recent sample rate; nil when nothing is running.
    public var etaSeconds: Double?

    public init(experiment: String, benchmark: Benchmark, priority: Int, createdAt: Double,
                cancelled: Bool, jobs: JobCounts, samples: SampleCounts,
                tokensPerSecond: Double?, etaSeconds: Double?) {
        self.experiment = experiment
        self.benchmark = benchmark
        self.priority = priority
        self.createdAt = createdAt
        self.cancelled = cancelled
        self.jobs = jobs
        self.samples = samples
        self.tokensPerSecond = tokensPerSecond
        self.etaSeconds = etaSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case experiment, benchmark, priority, createdAt = "created_at", cancelled, jobs, samples
        case tokensPerSecond = "tokens_per_second", etaSeconds = "eta_seconds"
    }

    /// Always writes `tokens_per_second` and `eta_seconds`, as null when unknown: the
    /// `status --json` shape promises the keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(experiment, forKey: .experiment)
        try container.encode(benchmark, forKey: .benchmark)
        try container.encode(priority, forKey: .priority)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(cancelled, forKey: .cancelled)
        try container.encode(jobs, forKey: .jobs)
        try container.encode(samples, forKey: .samples)
        try container.encode(tokensPerSecond, forKey: .tokensPerSecond)
        try container.encode(etaSeconds, forKey: .etaSeconds)
    }
}

public struct ExperimentList: Codable, Sendable, Hashable {
    public var experiments: [ExperimentStatus]

    public init(experiments: [ExperimentStatus]) { self.experiments = experiments }
}

/// Answer to cancel and requeue: how many jobs changed state.
public struct ExperimentActionResponse: Codable, Sendable, Hashable {
    public var experiment: String
    public var jobsChanged: Int

    public init(experiment: String, jobsChanged: Int) {
        self.experiment = experiment
        self.jobsChanged = jobsChanged
    }

    private enum CodingKeys: String, CodingKey {
        case experiment, jobsChanged = "jobs_changed"
    }
}

public struct WorkerInfo: Codable, Sendable, Hashable {
    public var id: String
    public var hardware: HardwareClass
    public var models: [String]
    public var lastSeen: Double
    public var jobsDone: Int
    public var currentJobId: Int64?

    public init(id: String, hardware: HardwareClass, models: [String], lastSeen: Double,
                jobsDone: Int, currentJobId: Int64?) {
        self.id = id
        self.hardware = hardware
        self.models = models
        self.lastSeen = lastSeen
        self.jobsDone = jobsDone
        self.currentJobId = currentJobId
    }

    private enum CodingKeys: String, CodingKey {
        case id, hardware, models, lastSeen = "last_seen", jobsDone = "jobs_done",
            currentJobId = "current_job_id"
    }
}

public struct WorkerList: Codable, Sendable, Hashable {
    public var workers: [WorkerInfo]

    public init(workers: [WorkerInfo]) { self.workers = workers }
}

/// Samples of a job, as a worker fetches them.
public struct SampleList: Codable, Sendable, Hashable {
    public var samples: [StoredSample]

    public init(samples: [StoredSample]) { self.samples = samples }
}

/// One stored prediction with what is needed to score and place it.
public struct PredictionRecord: Codable, Sendable, Hashable {
    public var sampleId: String
    public var sample: SampleSpec
    public var result: SampleResult
    public var workerId: String
    /// The primary metric's score (0...1); nil until the sample is scored.
    public var score: Double?
    /// Every stored metric of the sample (primary and secondary), by name.
    public var metrics: [String: Double]?
    /// The name of the metric `score` is (the one tables show); nil until scored.
    public var primaryMetric: String?

    public init(sampleId: String, sample: SampleSpec, result: SampleResult, workerId: String, score: Double?,
                metrics: [String: Double]? = nil, primaryMetric: String? = nil) {
        self.sampleId = sampleId
        self.sample = sample
        self.result = result
        self.workerId = workerId
        self.score = score
        self.metrics = metrics
        self.primaryMetric = primaryMetric
    }

    private enum CodingKeys: String, CodingKey {
        case sampleId = "sample_id", sample, result, workerId = "worker_id", score, metrics,
            primaryMetric = "primary_metric"
    }
}

public struct JobResults: Codable, Sendable, Hashable {
    public var jobId: Int64
    public var key: JobKey
    public var state: String
    public var spec: JobSpec
    public var predictions: [PredictionRecord]

    public init(jobId: Int64, key: JobKey, state: String, spec: JobSpec, predictions: [PredictionRecord]) {
        self.jobId = jobId
        self.key = key
        self.state = state
        self.spec = spec
        self.predictions = predictions
    }

    private enum CodingKeys: String, CodingKey {
        case jobId = "job_id", key, state, spec, predictions
    }
}

/// Everything stored for an experiment: the input of `results table|heatmap` and of rescoring.
public struct ExperimentResults: Codable, Sendable, Hashable {
    public var experiment: String
    public var spec: ExperimentSpec
    public var jobs: [JobResults]

    public init(experiment: String, spec: ExperimentSpec, jobs: [JobResults]) {
        self.experiment = experiment
        self.spec = spec
        self.jobs = jobs
    }
}

/// A score computed by a separate scoring step over stored predictions.
public struct ScoreRecord: Codable, Sendable, Hashable {
    public var jobId: Int64
    public var sampleId: String
    public var metric: String
    public var score: Double
    /// Whether this metric is the one tables and heatmaps show; nil means true.
    public var primary: Bool?

    public init(jobId: Int64, sampleId: String, metric: String, score: Double, primary: Bool? = nil) {
        self.jobId = jobId
        self.sampleId = sampleId
        self.metric = metric
        self.score = score
        self.primary = primary
    }

    private enum CodingKeys: String, CodingKey {
        case jobId = "job_id", sampleId = "sample_id", metric, score, primary
    }
}

public struct ScoreUpload: Codable, Sendable, Hashable {
    public var scores: [ScoreRecord]

    public init(scores: [ScoreRecord]) { self.scores = scores }
}

public struct ScoreUploadResponse: Codable, Sendable, Hashable {
    public var stored: Int

    public init(stored: Int) { self.stored = stored }
}

public struct BlobStored: Codable, Sendable, Hashable {
    public var sha256: String
    public var bytes: Int

    public init(sha256: String, bytes: Int) {
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// The body of every 4xx/5xx answer: what went wrong and, where one is to blame, which field.
public struct ErrorBody: Codable, Sendable, Hashable {
    public var error: String
    public var field: String?
    public var message: String

    public init(error: String, field: String?, message: String) {
        self.error = error
        self.field = field
        self.message = message
    }
}
