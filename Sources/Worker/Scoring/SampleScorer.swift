import Foundation
import FleetCore
import KVEval

/// Scores one prediction with the reference metrics of its benchmark: what workers post with
/// each prediction and what `pyramidkv rescore` recomputes from stored predictions.
/// The benchmark's primary metric comes first.
public enum SampleScorer {
    public static func scores(prediction: String, sample: SampleSpec, job: JobSpec) -> [MetricScore] {
        switch sample.benchmark {
        case .needle: needle(prediction: prediction, settings: job.needle ?? NeedleSettings())
        case .longbench: longBench(prediction: prediction, sample: sample)
        }
    }

    /// KVCache-Factory's word recall against the needle's answer (primary), and ROUGE-1 of the
    /// response against the needle sentence (pip `rouge`, as LongBench and kvpress compute it).
    static func needle(prediction: String, settings: NeedleSettings) -> [MetricScore] {
        let rouge = Rouge1.score(hypothesis: prediction, reference: settings.needle.trimmingCharacters(in: .whitespacesAndNewlines))
        return [MetricScore(metric: "needle_word_recall", score: NeedleTexts.score(response: prediction, answer: settings.answerText)),
                MetricScore(metric: "rouge1_recall", score: rouge.recall),
                MetricScore(metric: "rouge1_f", score: clamp(rouge.f))]
    }

    /// LongBench's metric for the dataset (first-line rule, max over answers). A metric that
    /// cannot run (e.g. an unknown dataset) scores 0 under "error: …", so it shows in the table.
    static func longBench(prediction: String, sample: SampleSpec) -> [MetricScore] {
        if let task = RULERPrompt.task(ofDataset: sample.dataset) { return ruler(task: task, prediction: prediction, sample: sample) }
        do {
            let metric = try LongBenchDatasets.metric(for: sample.dataset)
            let score = try LongBenchDatasets.sampleScore(dataset: sample.dataset, prediction: prediction,
                                                          answers: sample.answers ?? [], allClasses: sample.allClasses)
            return [MetricScore(metric: "\(metric)", score: clamp(score))]
        } catch {
            return [MetricScore(metric: String("error: \(error)".prefix(200)), score: 0)]
        }
    }

    /// RULER's metric of the task (string_match_all / string_match_part) after its postprocess_pred.
    static func ruler(task: String, prediction: String, sample: SampleSpec) -> [MetricScore] {
        do {
            let kind = try RULERMetric.kind(task: task)
            let score = RULERMetric.score(kind: kind, prediction: prediction, references: sample.answers ?? [])
            return [MetricScore(metric: kind.rawValue, score: clamp(score))]
        } catch {
            return [MetricScore(metric: String("error: \(error)".prefix(200)), score: 0)]
        }
    }

    /// F = 2pr/(p + r + 1e-8) can exceed neither bound in theory; guard rounding all the same.
    static func clamp(_ x: Double) -> Double { min(1, max(0, x)) }
}
