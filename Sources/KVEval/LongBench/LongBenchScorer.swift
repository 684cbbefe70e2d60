/// Scores prediction files as LongBench's eval.py does: per sample (first-line rule, max over
/// answers), per dataset `round(100·mean, 2)`, LongBench-E buckets for `_e` datasets (or on
/// request), and averages (`LongBenchAverages`).
public struct LongBenchScoreReport: Sendable, Equatable {
    public struct Sample: Sendable, Equatable {
        public var id: String?
        public var dataset: String
        /// Raw metric value in [0, 1] after the first-line rule and the max over answers.
        public var score: Double
        public var file: String
        public var line: Int
    }
    public var samples: [Sample]
    /// Dataset → round(100·mean, 2), in first-seen order in `datasetOrder`.
    public var datasets: [String: Double]
    public var datasetOrder: [String]
    public var counts: [String: Int]
    /// Dataset → bucket ("0-4k", "4-8k", "8k+") → score (NaN for an empty bucket).
    public var buckets: [String: [String: Double]]
    public var averages: [String: Double]
}

public enum LongBenchScorer {
    /// - Parameter longBenchE: bucket every dataset by `length` (always done for `_e` datasets).
    public static func score(_ predictions: [LongBenchPrediction], longBenchE: Bool = false) throws(LongBenchDataError) -> LongBenchScoreReport {
        guard !predictions.isEmpty else { throw LongBenchDataError(file: "", line: 0, reason: .emptyFile) }
        var samples: [LongBenchScoreReport.Sample] = []
        var perDataset: [String: [Double]] = [:]
        var withLength: [String: [(Double, Int)]] = [:]
        var order: [String] = []
        for p in predictions {
            let s: Double
            do {
                s = try LongBenchDatasets.sampleScore(dataset: p.dataset, prediction: p.pred,
                                                      answers: p.answers, allClasses: p.allClasses)
            } catch {
                let field: String
                switch error {
                case .unknownDataset: field = "dataset"
                case .missingAllClasses: field = "all_classes"
                case .noParagraphID: field = "answers"
                case .requiresJieba: field = "dataset"
                }
                throw LongBenchDataError(file: p.file, line: p.line, field: field, value: p.dataset, reason: .metric(error))
            }
            samples.append(.init(id: p.id, dataset: p.dataset, score: s, file: p.file, line: p.line))
            if perDataset[p.dataset] == nil { order.append(p.dataset) }
            perDataset[p.dataset, default: []].append(s)
            let wantsBuckets = longBenchE || p.dataset.hasSuffix("_e")
            if wantsBuckets {
                guard let length = p.length else {
                    throw LongBenchDataError(file: p.file, line: p.line, field: "length",
                                             reason: .missingField)
                }
                withLength[p.dataset, default: []].append((s, length))
            }
        }
        var datasets: [String: Double] = [:]
        for (d, scores) in perDataset { datasets[d] = PyRound.datasetScore(scores) }
        return LongBenchScoreReport(
            samples: samples, datasets: datasets, datasetOrder: order,
            counts: perDataset.mapValues(\.count),
            buckets: withLength.mapValues(LongBenchEBuckets.scores),
            averages: LongBenchAverages.compute(datasets))
    }

    public static func score(files: [String], longBenchE: Bool = false) throws(LongBenchDataError) -> LongBenchScoreReport {
        var all: [LongBenchPrediction] = []
        for f in files { all += try LongBenchPrediction.read(path: f) }
        return try score(all, longBenchE: longBenchE)
    }
}
