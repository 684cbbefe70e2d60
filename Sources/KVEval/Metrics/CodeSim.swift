// LongBench metrics.py `code_sim_score` with fuzzywuzzy 0.18 `fuzz.ratio` backed by
// python-Levenshtein (0.27: `ratio = 1 - indel_distance / (len1 + len2)`, on code points).

enum CodeSim {
    static func score(_ prediction: PyStr, _ groundTruth: PyStr) -> Double {
        let lines = PyText.split(PyText.lstrip(prediction, "\n"), on: "\n")
        var line: PyStr = []
        for l in lines where !l.contains("`") && !l.contains("#") && !PyText.contains(l, ["/", "/"]) {
            line = l
            break
        }
        return Double(fuzzRatio(line, groundTruth)) / 100
    }

    /// `fuzz.ratio`: 100 when equal (checked before emptiness), 0 when one side is empty,
    /// else `int(round(100 * Levenshtein.ratio(s1, s2)))` with round-half-even.
    static func fuzzRatio(_ a: PyStr, _ b: PyStr) -> Int {
        if a == b { return 100 }
        if a.isEmpty || b.isEmpty { return 0 }
        let total = a.count + b.count
        let distance = total - 2 * lcsLength(a, b)
        let ratio = 1.0 - Double(distance) / Double(total)
        return Int((100 * ratio).rounded(.toNearestOrEven))
    }

    /// Length of the longest common subsequence (indel distance = |a| + |b| − 2·LCS).
    static func lcsLength(_ a: PyStr, _ b: PyStr) -> Int {
        let (s, t) = a.count <= b.count ? (a, b) : (b, a)
        var prev = [Int](repeating: 0, count: s.count + 1)
        var cur = prev
        for tc in t {
            for i in 1...s.count {
                cur[i] = s[i - 1] == tc ? prev[i - 1] + 1 : max(prev[i], cur[i - 1])
            }
            swap(&prev, &cur)
        }
        return prev[s.count]
    }
}
