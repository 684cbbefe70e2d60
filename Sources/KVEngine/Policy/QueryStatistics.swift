import COpenBLAS

/// Running first and second moments of the pre-RoPE query rows, per layer and query head, over
/// the prompt rows from position `skip` on (Expected Attention's evidence: kvpress 0.5.5 takes
/// the mean and covariance of every query row but the 4 sinks). Second moments are accumulated
/// per prefill chunk by one OpenBLAS product per head; first moments in double.
public final class QueryStatistics: PrefillObserver, @unchecked Sendable {
    public var readsAttention: Bool { false }
    let heads: Int, dim: Int, skip: Int
    /// [layer][head][dim]
    private(set) var sums: [[[Double]]]
    /// [layer][head] → [dim][dim] of Σ q qᵀ.
    private(set) var outer: [[FloatBuffer]]
    private(set) var rows: [Int]

    init(config: ModelConfig, skip: Int) {
        heads = config.heads
        dim = config.headDim
        self.skip = skip
        sums = Array(repeating: Array(repeating: Array(repeating: 0, count: config.headDim), count: config.heads), count: config.layers)
        outer = (0..<config.layers).map { _ in (0..<config.heads).map { _ in FloatBuffer(count: config.headDim * config.headDim, zeroed: true) } }
        rows = Array(repeating: 0, count: config.layers)
    }

    /// Bytes held (for snapshot accounting).
    var bytes: Int { sums.count * heads * dim * (8 + dim * 4) }

    public func observePreRoPEQueries(layer l: Int, firstPosition: Int, rows count: Int, queries: UnsafePointer<Float>, ld: Int) {
        let first = max(0, skip - firstPosition)
        guard first < count else { return }
        let used = count - first
        for h in 0..<heads {
            let q = queries + first * ld + h * dim
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(dim), Int32(dim), Int32(used), 1, q, Int32(ld),
                        q, Int32(ld), 1, outer[l][h].pointer, Int32(dim))
            for r in 0..<used {
                for i in 0..<dim { sums[l][h][i] += Double(q[r * ld + i]) }
            }
        }
        rows[l] += used
    }

    /// Mean [dim] and biased covariance [dim][dim] of head h's rows in layer l.
    func moments(layer l: Int, head h: Int) -> (mean: [Double], covariance: [Double]) {
        let n = Double(max(1, rows[l]))
        let mean = sums[l][h].map { $0 / n }
        var cov = [Double](repeating: 0, count: dim * dim)
        for i in 0..<dim {
            for j in 0..<dim { cov[i * dim + j] = Double(outer[l][h].pointer[i * dim + j]) / n - mean[i] * mean[j] }
        }
        return (mean, cov)
    }
}
