import Coordinator
import FleetCore
import KVEval

/// The coordinator's scoring and plotting seams, filled with KVEval's reference metrics.
enum FleetScorers {
    static let available: [any PredictionScorer] = [NeedlePredictionScorer(), LongBenchPredictionScorer()]
}

/// KVCache-Factory's needle score: word-set recall over the 11 expected words.
struct NeedlePredictionScorer: PredictionScorer {
    func handles(_ job: JobSpec) -> Bool { job.benchmark == .needle }
    func score(prediction: String, sample: SampleSpec, job: JobSpec) -> (metric: String, score: Double) {
        ("needle_word_recall", NeedleTexts.score(response: prediction))
    }
}

/// LongBench's metric for the dataset (first-line rule, max over answers). A metric that cannot
/// run (e.g. an unknown dataset) scores 0 under the metric name "error: …", so it shows.
struct LongBenchPredictionScorer: PredictionScorer {
    func handles(_ job: JobSpec) -> Bool { job.benchmark == .longbench }
    func score(prediction: String, sample: SampleSpec, job: JobSpec) -> (metric: String, score: Double) {
        do {
            let metric = try LongBenchDatasets.metric(for: sample.dataset)
            let s = try LongBenchDatasets.sampleScore(dataset: sample.dataset, prediction: prediction,
                                                      answers: sample.answers ?? [], allClasses: sample.allClasses)
            return ("\(metric)", s)
        } catch {
            return ("error: \(error)", 0)
        }
    }
}

/// SVG heatmaps drawn by KVEval (reference colours, depth on y, length on x).
struct SVGHeatmapRenderer: HeatmapRenderer {
    func svg(_ heatmap: Coordinator.NeedleHeatmap, title: String) throws(ResultsError) -> String {
        let cells = heatmap.cells.map { NeedleCell(length: $0.length, depth: Double($0.depth), score: $0.score) }
        return EvalNeedleHeatmap(cells: cells, model: title).svg()
    }
}
