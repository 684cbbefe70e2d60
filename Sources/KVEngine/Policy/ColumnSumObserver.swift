/// Accumulates, during prefill, the column sums of every layer's and query head's causal
/// attention over all query rows (H2O's heavy-hitter scores), for columns 0..<limit.
/// Memory: layers × heads × limit floats; the n×n matrix is never held.
final class ColumnSumObserver: AttentionObserver {
    private(set) var sums: [[[Float]]]
    let limit: Int

    init(layers: Int, heads: Int, limit: Int) {
        self.limit = max(limit, 0)
        sums = Array(repeating: Array(repeating: [Float](repeating: 0, count: max(limit, 0)), count: heads), count: layers)
    }

    func observe(layer: Int, queryHead: Int, firstPosition: Int, rows: Int,
                 probabilities: UnsafePointer<Float>, width: Int, ld: Int) {
        let cols = min(width, limit)
        guard cols > 0 else { return }
        sums[layer][queryHead].withUnsafeMutableBufferPointer { acc in
            for r in 0..<rows {
                let row = probabilities + r * ld
                for c in 0..<cols { acc[c] += row[c] }
            }
        }
    }
}
