import CKernels

/// Accumulates, during prefill, the column sums of every layer's and query head's causal
/// attention over all query rows (H2O's heavy-hitter scores), for columns 0..<limit.
/// Memory: layers × heads × limit floats; the n×n matrix is never held.
final class ColumnSumObserver: PrefillObserver {
    private(set) var sums: [[[Float]]]
    let limit: Int
    var readsAttention: Bool { true }

    init(layers: Int, heads: Int, limit: Int) {
        self.limit = max(limit, 0)
        sums = Array(repeating: Array(repeating: [Float](repeating: 0, count: max(limit, 0)), count: heads), count: layers)
    }

    func observeAttention(layer: Int, queryHead: Int, firstPosition: Int, rows: Int,
                 probabilities: UnsafePointer<Float>, width: Int, ld: Int) {
        let cols = min(width, limit)
        guard cols > 0 else { return }
        sums[layer][queryHead].withUnsafeMutableBufferPointer { acc in
            pkv_add_column_sums(probabilities, Int64(rows), Int64(cols), Int64(ld), acc.baseAddress!)
        }
    }
}
