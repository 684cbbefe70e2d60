/// Why a LongBench metric could not produce a score. Python's metrics.py raises (and eval.py
/// stops) in these cases; we throw instead of inventing a number.
public enum MetricError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `retrieval_score` / `retrieval_zh_score`: the ground truth has no "Paragraph N" / "段落N"
    /// (Python raises IndexError on `matches[0]`).
    case noParagraphID(metric: String, groundTruth: String)
    /// `classification_score` needs `all_classes` (Python raises TypeError on None).
    case missingAllClasses(dataset: String)
    /// The Chinese metrics need jieba 0.42.1 segmentation data (tools/fetch_jieba.py).
    case requiresJieba(metric: String, reason: String)
    /// A dataset name that LongBench's `dataset2metric` does not know.
    case unknownDataset(String)

    public var description: String {
        switch self {
        case let .noParagraphID(metric, gt):
            return "\(metric): ground truth \(gt.debugDescription) has no paragraph id (Python raises IndexError)"
        case let .missingAllClasses(dataset):
            return "classification_score for dataset \(dataset): all_classes is null (Python raises TypeError)"
        case let .requiresJieba(metric, reason):
            return "\(metric) requires jieba segmentation: \(reason)"
        case let .unknownDataset(name):
            return "unknown LongBench dataset \(name.debugDescription): not in dataset2metric"
        }
    }
}
