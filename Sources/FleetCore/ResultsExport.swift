/// `results export` / `results import`: an experiment's stored results as a file that leaves the
/// machine and enters any coordinator. JSON lines (gzip'd by the CLI): one header, then each
/// sample once, then each job with its predictions (samples referenced by id, so a RULER
/// context is stored once rather than once per policy × budget). Everything is content-keyed:
/// importing twice, or into a coordinator that already ran some of the jobs, stores nothing twice.
public enum ResultsExport {
    public static let format = "pyramidkv-results"
    public static let formatVersion = 1

    public struct Header: Codable, Sendable, Hashable {
        public var format: String
        public var formatVersion: Int
        public var experiment: String
        public var spec: ExperimentSpec
        public var samples: Int
        public var jobs: Int

        public init(experiment: String, spec: ExperimentSpec, samples: Int, jobs: Int) {
            self.format = ResultsExport.format
            self.formatVersion = ResultsExport.formatVersion
            self.experiment = experiment
            self.spec = spec
            self.samples = samples
            self.jobs = jobs
        }

        private enum CodingKeys: String, CodingKey {
            case format, formatVersion = "format_version", experiment, spec, samples, jobs
        }
    }

    /// A sample line: `StoredSample` (its content id and the sample).
    public typealias Sample = StoredSample

    public struct Prediction: Codable, Sendable, Hashable {
        public var result: SampleResult
        public var workerId: String
        /// The primary metric's score (what tables show), every stored metric, and the
        /// primary one's name (nil from a coordinator older than the export format).
        public var score: Double?
        public var metrics: [String: Double]?
        public var primaryMetric: String?

        public init(result: SampleResult, workerId: String, score: Double?, metrics: [String: Double]?, primaryMetric: String?) {
            self.result = result
            self.workerId = workerId
            self.score = score
            self.metrics = metrics
            self.primaryMetric = primaryMetric
        }

        private enum CodingKeys: String, CodingKey {
            case result, workerId = "worker_id", score, metrics, primaryMetric = "primary_metric"
        }

        /// The primary metric's name: the named one, else the metric holding `score` (first by name).
        public var resolvedPrimaryMetric: String? {
            if let primaryMetric { return primaryMetric }
            guard let score else { return nil }
            return (metrics ?? [:]).filter { $0.value == score }.keys.sorted().first
        }
    }

    public struct Job: Codable, Sendable, Hashable {
        public var key: JobKey
        public var state: String
        public var spec: JobSpec
        public var predictions: [Prediction]

        public init(key: JobKey, state: String, spec: JobSpec, predictions: [Prediction]) {
            self.key = key
            self.state = state
            self.spec = spec
            self.predictions = predictions
        }
    }

    /// What one import request carries: the experiment, some jobs and the samples they use.
    /// The CLI sends a large export as several batches; each is stored in one transaction.
    public struct Batch: Codable, Sendable, Hashable {
        public var experiment: String
        public var spec: ExperimentSpec
        public var samples: [Sample]
        public var jobs: [Job]

        public init(experiment: String, spec: ExperimentSpec, samples: [Sample], jobs: [Job]) {
            self.experiment = experiment
            self.spec = spec
            self.samples = samples
            self.jobs = jobs
        }
    }

    public struct ImportResponse: Codable, Sendable, Hashable {
        public var experiment: String
        public var jobsCreated: Int
        public var jobsExisting: Int
        public var predictionsStored: Int
        public var predictionsExisting: Int

        public init(experiment: String, jobsCreated: Int, jobsExisting: Int, predictionsStored: Int, predictionsExisting: Int) {
            self.experiment = experiment
            self.jobsCreated = jobsCreated
            self.jobsExisting = jobsExisting
            self.predictionsStored = predictionsStored
            self.predictionsExisting = predictionsExisting
        }

        private enum CodingKeys: String, CodingKey {
            case experiment, jobsCreated = "jobs_created", jobsExisting = "jobs_existing",
                predictionsStored = "predictions_stored", predictionsExisting = "predictions_existing"
        }
    }

    /// Splits stored results into the export's parts; `samples` are every sample of the
    /// experiment's jobs (run or not), so an import can resume the sweep.
    public static func parts(of results: ExperimentResults, samples: [Sample]) -> (header: Header, samples: [Sample], jobs: [Job]) {
        let jobs = results.jobs.map { job in
            Job(key: job.key, state: job.state, spec: job.spec, predictions: job.predictions.map {
                Prediction(result: $0.result, workerId: $0.workerId, score: $0.score, metrics: $0.metrics,
                           primaryMetric: $0.primaryMetric)
            })
        }
        return (Header(experiment: results.experiment, spec: results.spec, samples: samples.count, jobs: jobs.count),
                samples, jobs)
    }

    /// The results an export stands for (what `results report --export` tabulates offline).
    /// A prediction whose sample is missing from the file is an error naming it.
    public static func results(header: Header, samples: [Sample], jobs: [Job]) throws(ResultsExportError) -> ExperimentResults {
        let byId = Dictionary(samples.map { ($0.id, $0.sample) }, uniquingKeysWith: { first, _ in first })
        var out: [JobResults] = []
        for (index, job) in jobs.enumerated() {
            var predictions: [PredictionRecord] = []
            for prediction in job.predictions {
                guard let sample = byId[prediction.result.sampleId] else {
                    throw ResultsExportError(line: nil, reason: "job \(index) (\(job.key.hex.prefix(12))…) has a prediction for sample "
                                             + "\(prediction.result.sampleId) that the file does not hold")
                }
                predictions.append(PredictionRecord(sampleId: prediction.result.sampleId, sample: sample, result: prediction.result,
                                                    workerId: prediction.workerId, score: prediction.score, metrics: prediction.metrics,
                                                    primaryMetric: prediction.resolvedPrimaryMetric))
            }
            out.append(JobResults(jobId: Int64(index + 1), key: job.key, state: job.state, spec: job.spec, predictions: predictions))
        }
        return ExperimentResults(experiment: header.experiment, spec: header.spec, jobs: out)
    }
}

/// An export file or import batch that cannot be read: the line (1-based) when known, and why.
public struct ResultsExportError: Error, CustomStringConvertible, Sendable, Equatable {
    public let line: Int?
    public let reason: String

    public init(line: Int?, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "line \($0): \(reason)" } ?? reason }
}
