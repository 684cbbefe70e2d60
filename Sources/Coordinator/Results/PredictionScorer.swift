import FleetCore

/// Scores stored predictions (design §4: scoring is a separate step that can be re-run).
/// The needle and LongBench metrics implement this in KVEval; `Rescoring` applies them.
public protocol PredictionScorer: Sendable {
    /// True when this scorer owns the job's benchmark/dataset.
    func handles(_ job: JobSpec) -> Bool
    /// The metric's name and the sample's score (0...1).
    func score(prediction: String, sample: SampleSpec, job: JobSpec) -> (metric: String, score: Double)
}

/// Turns stored predictions into score records with the first scorer that handles each job.
public enum Rescoring {
    public static func scores(for results: ExperimentResults,
                              scorers: [any PredictionScorer]) throws(ResultsError) -> [ScoreRecord] {
        var records: [ScoreRecord] = []
        for job in results.jobs where !job.predictions.isEmpty {
            guard let scorer = scorers.first(where: { $0.handles(job.spec) }) else {
                throw .scorerNotAvailable(benchmark: job.spec.benchmark.rawValue, dataset: job.spec.dataset)
            }
            for prediction in job.predictions {
                let (metric, score) = scorer.score(prediction: prediction.result.prediction, sample: prediction.sample,
                                                   job: job.spec)
                records.append(ScoreRecord(jobId: job.jobId, sampleId: prediction.sampleId, metric: metric,
                                           score: score))
            }
        }
        return records
    }
}
