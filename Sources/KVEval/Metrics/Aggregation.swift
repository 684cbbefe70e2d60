// Aggregation of per-dataset scores: LongBench-E length buckets (eval.py `scorer_e`), LongBench
// README category averages, and the PyramidKV paper's plain 16-task mean.

public enum LongBenchEBuckets {
    public static let names = ["0-4k", "4-8k", "8k+"]

    /// eval.py: `length < 4000`, `< 8000`, else.
    public static func bucket(forLength length: Int) -> String {
        length < 4000 ? "0-4k" : (length < 8000 ? "4-8k" : "8k+")
    }

    /// `scorer_e`: per bucket `round(100 * np.mean(scores), 2)`, NaN for an empty bucket.
    public static func scores(_ samples: [(Double, Int)]) -> [String: Double] {
        var groups: [String: [Double]] = Dictionary(uniqueKeysWithValues: names.map { ($0, []) })
        for (score, length) in samples { groups[bucket(forLength: length), default: []].append(score) }
        return groups.mapValues(PyRound.bucketScore)
    }
}

/// Averages over dataset scores (each already `round(100·mean, 2)`).
public enum LongBenchAverages {
    /// LongBench v1 categories (README / task.md).
    public static let categories: [(name: String, datasets: [String])] = [
        ("single_doc_qa", ["narrativeqa", "qasper", "multifieldqa_en", "multifieldqa_zh"]),
        ("multi_doc_qa", ["hotpotqa", "2wikimqa", "musique", "dureader"]),
        ("summarization", ["gov_report", "qmsum", "multi_news", "vcsum"]),
        ("few_shot", ["trec", "triviaqa", "samsum", "lsht"]),
        ("synthetic", ["passage_count", "passage_retrieval_en", "passage_retrieval_zh"]),
        ("code", ["lcc", "repobench-p"]),
    ]
    public static let chinese: Set<String> = ["multifieldqa_zh", "dureader", "vcsum", "lsht", "passage_retrieval_zh"]
    public static let code: Set<String> = ["lcc", "repobench-p"]

    /// The 16 English tasks of the PyramidKV paper's Table 1, in its column order.
    public static let paper16 = [
        "narrativeqa", "qasper", "multifieldqa_en", "hotpotqa", "2wikimqa", "musique", "gov_report", "qmsum",
        "multi_news", "trec", "triviaqa", "samsum", "passage_count", "passage_retrieval_en", "lcc", "repobench-p",
    ]

    static func mean(_ xs: [Double]) -> Double? {
        xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
    }

    /// Flat map of averages, each rounded to 2 decimals like the dataset scores:
    /// - `en.<category>` / `zh.<category>`: mean of the present task scores of that category
    ///   (code completion counts for both languages, as in the LongBench README tables);
    /// - `en.avg` / `zh.avg`: mean of the category scores, only when all 6 categories are present;
    /// - `paper_avg_16`: plain mean of the 16 English tasks, only when all 16 are present;
    /// - `mean`: plain mean of every dataset score given.
    /// LongBench-E names (`qasper_e`) count as their base dataset.
    public static func compute(_ datasetScores: [String: Double]) -> [String: Double] {
        var scores: [String: Double] = [:]
        for (k, v) in datasetScores where v.isFinite { scores[LongBenchDatasets.baseName(k)] = v }
        var out: [String: Double] = [:]
        for lang in ["en", "zh"] {
            var catScores: [Double] = []
            for (name, members) in categories {
                let mine = members.filter { code.contains($0) || (lang == "zh") == chinese.contains($0) }
                if let m = mean(mine.compactMap { scores[$0] }) {
                    out["\(lang).\(name)"] = PyRound.round2(m)
                    catScores.append(m)
                }
            }
            if catScores.count == categories.count, let m = mean(catScores) { out["\(lang).avg"] = PyRound.round2(m) }
        }
        let p16 = paper16.compactMap { scores[$0] }
        if p16.count == paper16.count, let m = mean(p16) { out["paper_avg_16"] = PyRound.round2(m) }
        if let m = mean(Array(scores.values.sorted())) { out["mean"] = PyRound.round2(m) }
        return out
    }
}
