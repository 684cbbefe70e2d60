// LongBench metrics.py `count_score`, `retrieval_score`, `retrieval_zh_score`.
// `\d` is Python's Unicode decimal digit; numbers are compared as strings.

enum NumberMatch {
    /// Share of the `\d+` runs in the prediction that equal `target` (0 if there are none).
    static func share(of target: PyStr, in prediction: PyStr) -> Double {
        let numbers = PyText.digitRuns(prediction)
        if numbers.isEmpty { return 0.0 }
        let right = numbers.filter { $0 == target }.count
        return Double(right) / Double(numbers.count)
    }

    static func count(_ prediction: PyStr, _ groundTruth: PyStr) -> Double {
        share(of: groundTruth, in: prediction)
    }

    static func retrieval(_ prediction: PyStr, _ groundTruth: PyStr, zh: Bool) throws(MetricError) -> Double {
        let prefix = PyText.str(zh ? "段落" : "Paragraph ")
        guard let id = PyText.firstNumber(after: prefix, in: groundTruth) else {
            throw .noParagraphID(metric: zh ? "retrieval_zh_score" : "retrieval_score",
                                 groundTruth: PyText.string(groundTruth))
        }
        return share(of: id, in: prediction)
    }
}
