/// RULER's metrics (scripts/eval/synthetic/constants.py) after its `postprocess_pred`
/// (scripts/eval/evaluate.py: strip, every control character U+0000–U+001F to "\n", strip).
/// `string_match_all` (niah, variable tracking, cwe, fwe): the fraction of references contained
/// in the prediction, case-insensitively; `string_match_part` (qa): 1 if any is. Per sample in
/// 0...1; RULER's task score is round(100 · mean, 2) (`taskScore`).
public enum RULERMetric {
    public enum Kind: String, Sendable { case stringMatchAll = "string_match_all", stringMatchPart = "string_match_part" }

    /// The metric of a task configuration ("niah_single_1", "vt", "qa_1", ...) or family ("niah").
    public static func kind(task: String) throws(RULERError) -> Kind {
        switch task {
        case "niah", "variable_tracking", "common_words_extraction", "freq_words_extraction", "vt", "cwe", "fwe":
            return .stringMatchAll
        case "qa": return .stringMatchPart
        default:
            if task.hasPrefix("niah_") { return .stringMatchAll }
            if task.hasPrefix("qa_") { return .stringMatchPart }
            if task.hasPrefix("ruler_") { return try kind(task: String(task.dropFirst(6))) }
            throw .unknownTask(task)
        }
    }

    /// `postprocess_pred`.
    public static func postprocess(_ prediction: String) -> String {
        let s = RULERText.strip(prediction)
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars { out.append(c.value <= 0x1F ? "\n" : c) }
        return RULERText.strip(String(out))
    }

    /// One sample's score in 0...1 (the prediction is post-processed here).
    public static func score(task: String, prediction: String, references: [String]) throws(RULERError) -> Double {
        score(kind: try kind(task: task), prediction: prediction, references: references)
    }

    public static func score(kind: Kind, prediction: String, references: [String]) -> Double {
        let pred = PyText.lower(PyText.str(postprocess(prediction)))
        let hits = references.map { PyText.contains(pred, PyText.lower(PyText.str($0))) ? 1.0 : 0.0 }
        switch kind {
        case .stringMatchAll:
            // sum([...]) / len(ref): Python sums left to right
            return hits.isEmpty ? 0 : hits.reduce(0, +) / Double(hits.count)  // Python: ZeroDivisionError
        case .stringMatchPart:
            return hits.max() ?? 0  // Python: ValueError for no references
        }
    }

    /// RULER's task score: `round(sum(per-sample) / len(preds) * 100, 2)`.
    public static func taskScore(_ perSample: [Double]) -> Double {
        PyRound.round2(perSample.reduce(0, +) / Double(perSample.count) * 100)
    }
}
