/// Sees what prefill computes, chunk by chunk, so a KV policy can gather its evidence (window
/// queries, attention column sums) without the forward pass knowing any policy. Both hooks
/// default to doing nothing.
public protocol PrefillObserver: AnyObject {
    /// Whether this observer reads attention tiles. Prefill runs its fused attention kernel,
    /// which never stores a probability tile, only while no observer says yes.
    var readsAttention: Bool { get }

    /// Post-RoPE query rows of positions firstPosition..<firstPosition+rows: `queries` is
    /// [rows][ld], each row's first qDim floats the query heads end to end.
    func observeQueries(layer: Int, firstPosition: Int, rows: Int, queries: UnsafePointer<Float>, ld: Int)

    /// The same rows before the rotary embedding (after bias and QK-norm), as q_proj gives them.
    func observePreRoPEQueries(layer: Int, firstPosition: Int, rows: Int, queries: UnsafePointer<Float>, ld: Int)

    /// One attention tile: `probabilities` is [rows][ld], softmax rows for prompt positions
    /// firstPosition..<firstPosition+rows over the stream's first `width` keys. The engine never
    /// materialises the n×n matrix; an observer accumulates what it needs tile by tile.
    func observeAttention(layer: Int, queryHead: Int, firstPosition: Int, rows: Int,
                          probabilities: UnsafePointer<Float>, width: Int, ld: Int)
}

extension PrefillObserver {
    public func observeQueries(layer: Int, firstPosition: Int, rows: Int, queries: UnsafePointer<Float>, ld: Int) {}
    public func observePreRoPEQueries(layer: Int, firstPosition: Int, rows: Int, queries: UnsafePointer<Float>, ld: Int) {}
    public func observeAttention(layer: Int, queryHead: Int, firstPosition: Int, rows: Int,
                                 probabilities: UnsafePointer<Float>, width: Int, ld: Int) {}
}
