/// Whether jieba 0.42.1 segmentation (needed by qa_f1_zh_score and rouge_zh_score) is ported.
/// Until it is, the Chinese metrics throw `MetricError.requiresJieba` rather than guess.
public enum JiebaAvailability {
    public static let ported = false
}
