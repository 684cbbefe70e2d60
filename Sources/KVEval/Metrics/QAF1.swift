// LongBench metrics.py `normalize_answer`, `f1_score`, `qa_f1_score` (English).

enum QAF1 {
    /// ASCII `string.punctuation`.
    static let punctuation: Set<Unicode.Scalar> = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// `white_space_fix(remove_articles(remove_punc(lower(s))))`.
    static func normalizeAnswer(_ s: PyStr) -> PyStr {
        let lowered = PyText.lower(s)
        let noPunc = lowered.filter { !punctuation.contains($0) }
        let noArticles = removeArticles(noPunc)
        return PyText.join(PyText.splitWhitespace(noArticles), with: [" "])
    }

    /// `re.sub(r"\b(a|an|the)\b", " ", text)`.
    static func removeArticles(_ t: PyStr) -> PyStr {
        let alternatives: [PyStr] = [["a"], ["a", "n"], ["t", "h", "e"]]
        var out: PyStr = []
        var i = 0
        while i < t.count {
            let boundaryBefore = i == 0 || !PyText.isWord(t[i - 1])
            var matched = 0
            if boundaryBefore {
                for alt in alternatives where i + alt.count <= t.count && Array(t[i..<(i + alt.count)]) == alt {
                    let end = i + alt.count
                    if end == t.count || !PyText.isWord(t[end]) { matched = alt.count; break }
                }
            }
            if matched > 0 {
                out.append(" ")
                i += matched
            } else {
                out.append(t[i])
                i += 1
            }
        }
        return out
    }

    /// `f1_score(prediction_tokens, ground_truth_tokens)`: multiset overlap F1.
    static func f1(_ prediction: [PyStr], _ groundTruth: [PyStr]) -> Double {
        var counts: [PyStr: Int] = [:]
        for t in groundTruth { counts[t, default: 0] += 1 }
        var predCounts: [PyStr: Int] = [:]
        for t in prediction { predCounts[t, default: 0] += 1 }
        var numSame = 0
        for (t, c) in predCounts { numSame += min(c, counts[t] ?? 0) }
        if numSame == 0 { return 0 }
        let precision = 1.0 * Double(numSame) / Double(prediction.count)
        let recall = 1.0 * Double(numSame) / Double(groundTruth.count)
        return (2 * precision * recall) / (precision + recall)
    }

    static func score(_ prediction: PyStr, _ groundTruth: PyStr) -> Double {
        let p = PyText.splitWhitespace(normalizeAnswer(prediction))
        let g = PyText.splitWhitespace(normalizeAnswer(groundTruth))
        return f1(p, g)
    }
}
