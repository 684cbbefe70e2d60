// LongBench metrics.py `qa_f1_zh_score`, `normalize_zh_answer` and `rouge_zh_score`, on the
// jieba 0.42.1 port.

/// Whether the Chinese metrics can run (jieba's data is present and loads).
public enum JiebaAvailability {
    public static var isAvailable: Bool { (try? Jieba.shared.get()) != nil }
}

enum ChineseMetrics {
    static let cnPunctuation = "！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏."
    static let allPunctuation: Set<Unicode.Scalar> = QAF1.punctuation.union(cnPunctuation.unicodeScalars)

    static func jieba(_ metric: LongBenchMetric) throws(MetricError) -> Jieba {
        switch Jieba.shared {
        case .success(let j): return j
        case .failure(let e): throw .requiresJieba(metric: metric.rawValue, reason: e.description)
        }
    }

    /// `white_space_fix(remove_punc(lower(s)))` with "".join(text.split()).
    static func normalize(_ s: PyStr) -> PyStr {
        let noPunc = PyText.lower(s).filter { !allPunctuation.contains($0) }
        return PyText.splitWhitespace(noPunc).flatMap { $0 }
    }

    static func qaF1(_ prediction: PyStr, _ groundTruth: PyStr) throws(MetricError) -> Double {
        let j = try jieba(.qaF1Zh)
        let p = j.cut(prediction).map(normalize).filter { !$0.isEmpty }
        let g = j.cut(groundTruth).map(normalize).filter { !$0.isEmpty }
        return QAF1.f1(p, g)
    }

    static func rouge(_ prediction: PyStr, _ groundTruth: PyStr) throws(MetricError) -> Double {
        let j = try jieba(.rougeZh)
        return RougeL.score(PyText.join(j.cut(prediction), with: [" "]), PyText.join(j.cut(groundTruth), with: [" "]))
    }
}
