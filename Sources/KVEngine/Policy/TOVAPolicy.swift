import Foundation
import PolicySpec

/// TOVA (Oren et al., 2024, "Transformers are Multi-State RNNs"), as kvpress 0.5.5's `TOVAPress`:
/// the softmax attention of the last prompt row over all n keys, averaged over every query head
/// of the layer (not per GQA group), so all streams keep the same positions; the last token is
/// always kept (its score is the maximum + 1). The engine captures the policy's window of query
/// rows (8 by default, so TOVA shares other policies' prefills) and scores with the last one.
struct TOVAPolicy: KVPolicy {
    let config: BudgetedPolicy
    var captureWindow: Int { config.effectiveWindow }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        let n = e.promptLength
        guard n > config.budget else { return keepAll(l, streams) }
        let c = e.config, d = c.headDim
        // scores[j]: mean over the H query heads of softmax_j(q_{n−1,h} · k_j / √d), j < n.
        var scores = [Float](repeating: 0, count: n)
        var logits = [Float](repeating: 0, count: n)
        let scale = 1 / Float(d).squareRoot()
        let lastRow = e.windowQueries[l].pointer + (e.window - 1) * c.qDim      // [qDim]
        for h in 0..<c.heads {
            let keys = e.keys(ofQueryHead: h, streams: streams)                  // [n][d]
            let q = lastRow + h * d
            var peak = -Float.infinity
            for j in 0..<n {
                var dot: Float = 0
                for i in 0..<d { dot += q[i] * keys[j * d + i] }
                logits[j] = dot * scale
                peak = max(peak, logits[j])
            }
            var total: Float = 0
            for j in 0..<n { logits[j] = expf(logits[j] - peak); total += logits[j] }
            for j in 0..<n { scores[j] += logits[j] / total / Float(c.heads) }
        }
        // The last token: kept whatever its score (kvpress pads it with max + 1).
        scores[n - 1] = (scores[..<(n - 1)].max() ?? 0) + 1
        let kept = ScoreOps.topK(scores, config.budget)
        return LayerSelection(layer: l, budget: config.budget, kept: streams.map { _ in kept })
    }
}
