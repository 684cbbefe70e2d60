import PolicySpec

/// KeyDiff (Park et al., 2025, "KeyDiff: Key Similarity-Based KV Cache Eviction"), as kvpress
/// 0.5.5's `KeyDiffPress` (one-shot, not the paper's block-wise `BlockPress` loop): per KV head,
/// keep the keys least similar (cosine) to the mean of the normalised keys. Keys only: no query
/// rows, no window, nothing protected. (RoPE rotates pairs, so cosines are layout-invariant.)
struct KeyDiffPolicy: KVPolicy {
    let config: BudgetedPolicy

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        guard e.promptLength > config.budget else { return keepAll(l, streams) }
        let kept = streams.map { s -> [Int] in
            let n = s.count, d = s.dim
            // Norms [n] and the anchor [d] = mean of k_j / max(‖k_j‖, 1e-12).
            var norms = [Float](repeating: 0, count: n)
            var anchor = [Float](repeating: 0, count: d)
            for j in 0..<n {
                var ss: Float = 0
                for i in 0..<d { let v = s.keys[j * d + i]; ss += v * v }
                norms[j] = ss.squareRoot()
                let inv = 1 / max(norms[j], 1e-12)
                for i in 0..<d { anchor[i] += s.keys[j * d + i] * inv }
            }
            for i in 0..<d { anchor[i] /= Float(n) }
            let anchorNorm = anchor.reduce(0) { $0 + $1 * $1 }.squareRoot()
            // score = −cos(k_j, anchor), as F.cosine_similarity (eps 1e-8 on each norm).
            let scores = (0..<n).map { j -> Float in
                var dot: Float = 0
                for i in 0..<d { dot += s.keys[j * d + i] * anchor[i] }
                return -dot / (max(norms[j], 1e-8) * max(anchorNorm, 1e-8))
            }
            return ScoreOps.topK(scores, config.budget)
        }
        return LayerSelection(layer: l, budget: config.budget, kept: kept)
    }
}
