import Foundation
import PolicySpec

/// L2Norm (Devoto et al., 2024, "A Simple and Effective L2 Norm-Based Strategy for KV Cache
/// Compression"), as KVCache-Factory's `L2NormCluster`: keep the B tokens whose keys have the
/// smallest L2 norm, no window protection; layers 0 and 1 are kept whole. (RoPE rotates pairs,
/// so the norm is the same before and after it.)
struct L2NormPolicy: KVPolicy {
    let config: BudgetedPolicy
    static let uncompressedLayers: Set<Int> = [0, 1]

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        guard e.promptLength >= config.budget, !Self.uncompressedLayers.contains(l) else { return keepAll(l, streams) }
        let kept = streams.map { s -> [Int] in
            let norms = (0..<s.count).map { i -> Float in
                var ss: Float = 0
                for j in 0..<s.dim { let v = s.keys[i * s.dim + j]; ss += v * v }
                return ss.squareRoot()
            }
            return ScoreOps.bottomK(norms, config.budget)
        }
        return LayerSelection(layer: l, budget: config.budget, kept: kept)
    }
}
