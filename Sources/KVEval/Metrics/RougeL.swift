// Port of pip `rouge` 1.0.1 (pltrdy) as LongBench's `rouge_score` calls it:
//   Rouge().get_scores([prediction], [ground_truth], avg=True)["rouge-l"]["f"], any exception → 0.0
//
// Semantics kept:
// - sentences = [" ".join(s.split()) for s in text.split(".") if len(s) > 0]  (the length test is
//   before whitespace normalisation, so a piece of only spaces survives as "" and yields the word "");
// - words = split on a single " "; exclusive=True, so word collections are sets;
// - summary-level union LCS, the LCS reconstructed by the recursive `_recon` with its tie rule
//   (`table[i-1, j] > table[i, j-1]` goes up, otherwise left);
// - exceptions → 0.0: empty hypothesis or reference sentence list (ValueError) and RecursionError
//   when `_recon` would need more frames than CPython's default limit leaves (see `recursionBudget`).

public enum RougeL {
    /// The largest number of nested `_recon` calls that succeed when LongBench's eval.py calls
    /// the metric: 1000 (default recursion limit) minus the 9 frames below the first `_recon`
    /// (`<module>`, `scorer`, `rouge_score`, `get_scores`, `_get_avg_scores`, the metric lambda,
    /// `rouge_l_summary_level`, `_union_lcs`, `_recon_lcs`). Measured with CPython 3.11 and 3.12
    /// (identical sentences of 990 words pass, 991 fail); CPython 3.10 allows one frame fewer.
    public static let recursionBudget = 991

    /// `rouge_score(prediction, ground_truth)` of LongBench metrics.py.
    static func score(_ prediction: PyStr, _ groundTruth: PyStr, recursionBudget: Int = recursionBudget) -> Double {
        let hyp = sentences(prediction)
        let ref = sentences(groundTruth)
        // rouge-1 and rouge-2 run first and raise ValueError on an empty side; rouge-l checks too.
        if hyp.isEmpty || ref.isEmpty { return 0.0 }

        var ids: [PyStr: Int32] = [:]
        func intern(_ w: PyStr) -> Int32 {
            if let id = ids[w] { return id }
            let id = Int32(ids.count)
            ids[w] = id
            return id
        }
        let hypWords = hyp.map { PyText.split($0, on: " ").map(intern) }
        let refWords = ref.map { PyText.split($0, on: " ").map(intern) }

        let m = Set(refWords.joined()).count
        let n = Set(hypWords.joined()).count

        var union = Set<Int32>()
        for x in refWords {
            for y in hypWords {
                guard let lcs = reconLCS(x, y, recursionBudget: recursionBudget) else { return 0.0 }
                union.formUnion(lcs)
            }
        }
        let llcs = union.count
        let rLcs = Double(llcs) / Double(m)
        let pLcs = Double(llcs) / Double(n)
        return 2.0 * ((pLcs * rLcs) / (pLcs + rLcs + 1e-8))
    }

    /// The `rouge` package's sentence split.
    static func sentences(_ text: PyStr) -> [PyStr] {
        PyText.split(text, on: ".").filter { !$0.isEmpty }.map {
            PyText.join(PyText.splitWhitespace($0), with: [" "])
        }
    }

    /// `_recon_lcs(x, y)`: the words of the reconstructed LCS, or nil where CPython would raise
    /// RecursionError (more than `recursionBudget` nested `_recon` calls).
    static func reconLCS(_ x: [Int32], _ y: [Int32], recursionBudget: Int) -> [Int32]? {
        let n = x.count, m = y.count
        // Every path from (n, m) to the border takes at least min(n, m) + 1 calls.
        if min(n, m) + 1 > recursionBudget { return nil }
        let w = m + 1
        var table = [Int32](repeating: 0, count: (n + 1) * w)
        if n > 0 && m > 0 {
            for i in 1...n {
                let xi = x[i - 1]
                for j in 1...m {
                    if xi == y[j - 1] {
                        table[i * w + j] = table[(i - 1) * w + j - 1] + 1
                    } else {
                        table[i * w + j] = max(table[(i - 1) * w + j], table[i * w + j - 1])
                    }
                }
            }
        }
        var i = n, j = m
        var calls = 1
        var words: [Int32] = []
        while i > 0 && j > 0 {
            if x[i - 1] == y[j - 1] {
                words.append(x[i - 1]); i -= 1; j -= 1
            } else if table[(i - 1) * w + j] > table[i * w + j - 1] {
                i -= 1
            } else {
                j -= 1
            }
            calls += 1
            if calls > recursionBudget { return nil }
        }
        return words
    }
}
