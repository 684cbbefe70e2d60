// ROUGE-1 of pip `rouge` 1.0.1 (pltrdy), the package LongBench's metrics.py and kvpress's needle
// scorer call: Rouge().get_scores([hypothesis], [reference], avg=True)["rouge-1"].
// Sentences as RougeL splits them (on ".", whitespace-normalised), words split on " ",
// exclusive=True (unigram sets), no lower-casing; an empty side raises ValueError → 0.

/// ROUGE-1 recall, precision and F of a hypothesis against a reference.
public struct Rouge1: Sendable, Equatable, Codable {
    public var recall: Double
    public var precision: Double
    public var f: Double

    public static func score(hypothesis: String, reference: String) -> Rouge1 {
        let hyp = RougeL.sentences(PyText.str(hypothesis))
        let ref = RougeL.sentences(PyText.str(reference))
        guard !hyp.isEmpty, !ref.isEmpty else { return Rouge1(recall: 0, precision: 0, f: 0) }
        let hypWords = Set(hyp.flatMap { PyText.split($0, on: " ") })
        let refWords = Set(ref.flatMap { PyText.split($0, on: " ") })
        let overlap = Double(hypWords.intersection(refWords).count)
        // f_r_p_rouge_n: 0 when a count is 0.
        let precision = hypWords.isEmpty ? 0 : overlap / Double(hypWords.count)
        let recall = refWords.isEmpty ? 0 : overlap / Double(refWords.count)
        let f = 2.0 * ((precision * recall) / (precision + recall + 1e-8))
        return Rouge1(recall: recall, precision: precision, f: f)
    }
}
