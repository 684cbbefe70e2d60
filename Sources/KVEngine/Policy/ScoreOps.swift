import CKernels
import PolicySpec

/// Score computations shared by the attention-based policies (KVCache-Factory
/// `pyramidkv_utils.py`). Scores are fp32, as its softmax(dtype=float32).
enum ScoreOps {
    /// Σ over the last `w` prompt rows of softmax(q·Kᵀ/√d), for columns 0..<n−w (all n columns
    /// with `allColumns`, the window's own included). queries: [w][ldq] (this head's rows,
    /// post-RoPE); keys: [n][d]. Row i sees keys 0...n−w+i. Returns [n−w] (or [n]).
    static func windowColumnSums(queries: UnsafePointer<Float>, ldq: Int, window w: Int,
                                 keys: UnsafePointer<Float>, count n: Int, dim d: Int, allColumns: Bool = false) -> [Float] {
        let m = allColumns ? n : n - w
        guard n - w > 0, w > 0 else { return [] }
        let probs = FloatBuffer(count: w * n)
        BLAS.gemmABt(m: w, n: n, k: d, alpha: 1 / Float(d).squareRoot(), a: queries, lda: ldq, b: keys, ldb: d,
                     c: probs.pointer, ldc: n)
        var lens = (0..<w).map { Int64(n - w + $0 + 1) }  // causal: row r sees keys 0...n−w+r
        pkv_softmax_rows(probs.pointer, Int64(w), Int64(n), Int64(n), &lens)
        var sums = [Float](repeating: 0, count: m)
        pkv_add_column_sums(probs.pointer, Int64(w), Int64(m), Int64(n), &sums)
        return sums
    }

    /// 1-D pooling with stride 1 and padding k/2, as torch's max_pool1d / avg_pool1d
    /// (avg counts padding, count_include_pad=True). Output has the input's length (k odd).
    static func pool(_ s: [Float], kernel k: Int, kind: Pooling) -> [Float] {
        let n = s.count, p = k / 2
        guard k > 1, n > 0 else { return s }
        var out = [Float](repeating: 0, count: n)
        for j in 0..<n {
            let lo = max(0, j - p), hi = min(n - 1, j + p)
            switch kind {
            case .max:
                var m = -Float.infinity
                for i in lo...hi where s[i] > m { m = s[i] }
                out[j] = m
            case .avg:
                var sum: Float = 0
                for i in lo...hi { sum += s[i] }
                out[j] = sum / Float(k)
            }
        }
        return out
    }

    /// Indices of the `k` largest scores, ascending by index (ties → lower index).
    static func topK(_ s: [Float], _ k: Int) -> [Int] {
        if k >= s.count { return Array(s.indices) }
        if k <= 0 { return [] }
        let order = s.indices.sorted { s[$0] != s[$1] ? s[$0] > s[$1] : $0 < $1 }
        return order.prefix(k).sorted()
    }

    /// Indices of the `k` smallest scores, ascending by index (ties → lower index).
    static func bottomK(_ s: [Float], _ k: Int) -> [Int] { topK(s.map { -$0 }, k) }
}
