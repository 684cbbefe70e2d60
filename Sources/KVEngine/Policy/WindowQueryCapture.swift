/// Keeps, during prefill, the post-RoPE query rows of the last `window` prompt positions of
/// every layer: the observation window SnapKV, PyramidKV, AdaKV and H2O score with.
final class WindowQueryCapture: PrefillObserver {
    let window: Int
    var readsAttention: Bool { false }
    /// [layer] → [window][qDim].
    private(set) var queries: [FloatBuffer]
    private let first: Int
    private let qDim: Int

    /// For a prompt at positions start..<start+promptLength; the window is clamped to the prompt.
    init(config c: ModelConfig, window: Int, promptLength: Int, start: Int = 0) {
        let kept = min(max(window, 0), promptLength)
        self.window = kept
        qDim = c.qDim
        first = start + promptLength - kept
        queries = kept == 0 ? [] : (0..<c.layers).map { _ in FloatBuffer(count: kept * c.qDim) }
    }

    func observeQueries(layer: Int, firstPosition: Int, rows: Int, queries q: UnsafePointer<Float>, ld: Int) {
        guard window > 0 else { return }
        for r in 0..<rows {
            let i = firstPosition + r - first
            guard i >= 0 && i < window else { continue }
            (queries[layer].pointer + i * qDim).update(from: q + r * ld, count: qDim)
        }
    }
}
