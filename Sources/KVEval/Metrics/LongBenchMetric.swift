// LongBench metrics.py `dataset2metric` functions, by their Python names.

public enum LongBenchMetric: String, Sendable, CaseIterable, Codable {
    case qaF1 = "qa_f1_score"
    case qaF1Zh = "qa_f1_zh_score"
    case rouge = "rouge_score"
    case rougeZh = "rouge_zh_score"
    case classification = "classification_score"
    case retrieval = "retrieval_score"
    case retrievalZh = "retrieval_zh_score"
    case count = "count_score"
    case codeSim = "code_sim_score"

    /// `metric(prediction, ground_truth, all_classes=all_classes)` for one answer.
    public func score(prediction: String, groundTruth: String,
                      allClasses: [String]? = nil, dataset: String = "") throws(MetricError) -> Double {
        let p = PyText.str(prediction), g = PyText.str(groundTruth)
        switch self {
        case .qaF1: return QAF1.score(p, g)
        case .rouge: return RougeL.score(p, g)
        case .classification:
            guard let classes = allClasses else { throw .missingAllClasses(dataset: dataset) }
            return Classification.score(p, g, allClasses: classes.map(PyText.str))
        case .retrieval: return try NumberMatch.retrieval(p, g, zh: false)
        case .retrievalZh: return try NumberMatch.retrieval(p, g, zh: true)
        case .count: return NumberMatch.count(p, g)
        case .codeSim: return CodeSim.score(p, g)
        case .qaF1Zh: return try ChineseMetrics.qaF1(p, g)
        case .rougeZh: return try ChineseMetrics.rouge(p, g)
        }
    }
}

/// LongBench v1 dataset facts the scorer needs (mirrors `dataset2metric` and eval.py).
public enum LongBenchDatasets {
    public static let metric: [String: LongBenchMetric] = [
        "narrativeqa": .qaF1, "qasper": .qaF1, "multifieldqa_en": .qaF1, "multifieldqa_zh": .qaF1Zh,
        "hotpotqa": .qaF1, "2wikimqa": .qaF1, "musique": .qaF1, "dureader": .rougeZh,
        "gov_report": .rouge, "qmsum": .rouge, "multi_news": .rouge, "vcsum": .rougeZh,
        "trec": .classification, "triviaqa": .qaF1, "samsum": .rouge, "lsht": .classification,
        "passage_retrieval_en": .retrieval, "passage_count": .count, "passage_retrieval_zh": .retrievalZh,
        "lcc": .codeSim, "repobench-p": .codeSim,
    ]

    /// eval.py: `prediction.lstrip('\n').split('\n')[0]` for these datasets only.
    public static let firstLineOnly: Set<String> = ["trec", "triviaqa", "samsum", "lsht"]

    /// Strips a LongBench-E name (`qasper_e`) to its base dataset.
    public static func baseName(_ dataset: String) -> String {
        if dataset.hasSuffix("_e"), metric[String(dataset.dropLast(2))] != nil { return String(dataset.dropLast(2)) }
        return dataset
    }

    public static func metric(for dataset: String) throws(MetricError) -> LongBenchMetric {
        guard let m = metric[baseName(dataset)] else { throw .unknownDataset(dataset) }
        return m
    }

    /// The first-line rule.
    public static func postprocess(_ prediction: String, dataset: String) -> String {
        guard firstLineOnly.contains(baseName(dataset)) else { return prediction }
        let lines = PyText.split(PyText.lstrip(PyText.str(prediction), "\n"), on: "\n")
        return PyText.string(lines[0])
    }

    /// One sample's score as eval.py's `scorer` computes it: first-line rule, then the max
    /// over answers starting from 0.
    public static func sampleScore(dataset: String, prediction: String, answers: [String],
                                   allClasses: [String]?) throws(MetricError) -> Double {
        let metric = try metric(for: dataset)
        let pred = postprocess(prediction, dataset: dataset)
        var score = 0.0
        for answer in answers {
            let s = try metric.score(prediction: pred, groundTruth: answer, allClasses: allClasses, dataset: dataset)
            if s > score { score = s }
        }
        return score
    }
}
