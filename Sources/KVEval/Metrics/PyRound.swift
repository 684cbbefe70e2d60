// Python's `round(x, 2)` on a float and numpy's pairwise `np.mean`, bit for bit.

public enum PyRound {
    /// `round(x, 2)` in CPython: the exact binary value rounded to 2 decimals (ties to even),
    /// then the nearest double to that decimal. Exact for |x| < 2^53 / 100.
    public static func round2(_ x: Double) -> Double {
        if !x.isFinite || x == 0 { return x }
        let negative = x < 0
        let a = abs(x)
        if a >= 9.0e13 { return x }  // beyond 2^53 / 100: no fractional decimals left to round
        let exponent = Int(a.exponent) - 52            // a = mantissa · 2^exponent
        let mantissa = a.significandBitPattern | (a.isNormal ? (1 << 52) : 0)
        let shift = a.isNormal ? exponent : -1074
        let scaled = mantissa &* 100                    // < 2^60
        var q: UInt64
        if shift >= 0 {
            q = scaled << UInt64(shift)
        } else if -shift >= 62 {
            q = 0
        } else {
            let k = UInt64(-shift)
            q = scaled >> k
            let r = scaled & ((1 << k) - 1)
            let half: UInt64 = 1 << (k - 1)
            if r > half || (r == half && q & 1 == 1) { q += 1 }
        }
        let result = Double(q) / 100
        return negative ? -result : result
    }

    /// LongBench eval.py `scorer`: `round(100 * total_score / len(predictions), 2)` with a
    /// left-to-right float sum. nil for no samples (Python raises ZeroDivisionError).
    public static func datasetScore(_ scores: [Double]) -> Double? {
        if scores.isEmpty { return nil }
        var total = 0.0
        for s in scores { total += s }
        return round2(100 * total / Double(scores.count))
    }

    /// LongBench eval.py `scorer_e` per bucket: `round(100 * np.mean(scores), 2)`; NaN when the
    /// bucket is empty (numpy's mean of nothing).
    public static func bucketScore(_ scores: [Double]) -> Double {
        if scores.isEmpty { return .nan }
        return round2(100 * (numpySum(scores[...]) / Double(scores.count)))
    }

    /// numpy's `pairwise_sum_DOUBLE` (blocks of 8 partial sums, split above 128 elements),
    /// added to the reduction's identity 0.0.
    public static func numpySum(_ a: ArraySlice<Double>) -> Double {
        0.0 + pairwise(a)
    }

    private static func pairwise(_ a: ArraySlice<Double>) -> Double {
        let n = a.count
        let base = a.startIndex
        if n < 8 {
            var res = 0.0
            for x in a { res += x }
            return res
        } else if n <= 128 {
            var r = [Double](repeating: 0, count: 8)
            for j in 0..<8 { r[j] = a[base + j] }
            var i = 8
            while i < n - (n % 8) {
                for j in 0..<8 { r[j] += a[base + i + j] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[base + i]; i += 1 }
            return res
        } else {
            var n2 = n / 2
            n2 -= n2 % 8
            return pairwise(a[base..<(base + n2)]) + pairwise(a[(base + n2)...])
        }
    }
}
