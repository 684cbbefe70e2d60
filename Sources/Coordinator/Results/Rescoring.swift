import FleetCore

/// Scores one stored prediction: every metric of its benchmark, the primary one first.
/// Workers score with the same function before posting (Worker's `SampleScorer`).
public typealias SampleScoring = @Sendable (_ prediction: String, _ sample: SampleSpec, _ job: JobSpec) -> [MetricScore]

/// Re-scores stored predictions (design §4: scoring can be re-run with a newer metric).
public enum Rescoring {
    public static func scores(for results: ExperimentResults, scoring: SampleScoring) -> [ScoreRecord] {
        var records: [ScoreRecord] = []
        for job in results.jobs {
            for prediction in job.predictions {
                let metrics = scoring(prediction.result.prediction, prediction.sample, job.spec)
                for (index, metric) in metrics.enumerated() {
                    records.append(ScoreRecord(jobId: job.jobId, sampleId: prediction.sampleId, metric: metric.metric,
                                               score: metric.score, primary: index == 0))
                }
            }
        }
        return records
    }
}
