import Foundation
import PolicySpec

/// Expected Attention (Devoto et al., 2025, "Expected Attention: KV Cache Compression by
/// Estimating Attention from Future Queries Distribution"), as kvpress 0.5.5's
/// `ExpectedAttentionPress` with its defaults: the pre-RoPE queries of every prompt row but the
/// 4 sinks give a mean μ and biased covariance Σ per head; both are rotated by RoPE averaged over
/// the next 512 positions (R: 2 × 2 blocks [[C, −S], [S, C]] on each rotated pair, C and S the
/// mean cos and sin); a key's expected logit is k·μ′/√d + kᵀΣ′k/(2d); the softmax of that over
/// the non-sink keys, averaged over the GQA group, times ‖v‖, is the score. The 4 sinks are
/// kept (max + 1); no window. B per KV head (every query-head stream of a group keeps its KV
/// head's positions).
struct ExpectedAttentionPolicy: KVPolicy {
    let config: BudgetedPolicy
    var needsQueryStatistics: Bool { true }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        let n = e.promptLength, c = e.config, d = c.headDim, sinks = ExpectedAttentionDefaults.sinks
        guard n > config.budget, n > sinks, let stats = e.queryStatistics else { return keepAll(l, streams) }
        let (cosMean, sinMean) = averagedRotation(e.rotary, from: n, half: d / 2)
        var perKV = [[Float]](repeating: [Float](repeating: 0, count: n), count: c.kvHeads)
        let product = FloatBuffer(count: n * d)
        for h in 0..<c.heads {
            let (mean, covariance) = stats.moments(layer: l, head: h)
            let (mu, sigma) = rotate(mean: mean, covariance: covariance, cos: cosMean, sin: sinMean, rotary: e.rotary, dim: d)
            let keys = e.keys(ofQueryHead: h, streams: streams)                   // [n][d]
            // K·Σ′ [n][d] by one product; z_j = k_j·μ′/√d + (K·Σ′)_j·k_j/(2d) for the non-sink keys.
            sigma.withUnsafeBufferPointer { BLAS.gemmAB(m: n, n: d, k: d, a: keys, lda: d, b: $0.baseAddress!, ldb: d,
                                                       c: product.pointer, ldc: d) }
            var z = [Float](repeating: 0, count: n - sinks)
            for j in sinks..<n {
                var linear: Float = 0, quadratic: Float = 0
                for i in 0..<d {
                    linear += keys[j * d + i] * mu[i]
                    quadratic += product.pointer[j * d + i] * keys[j * d + i]
                }
                z[j - sinks] = linear / Float(d).squareRoot() + quadratic / Float(2 * d)
            }
            let peak = z.max() ?? 0
            var total: Float = 0
            for j in z.indices { z[j] = expf(z[j] - peak); total += z[j] }
            let kv = h / c.groupSize
            for j in z.indices { perKV[kv][j + sinks] += z[j] / total / Float(c.groupSize) }
        }
        // × ‖v_j‖ of the KV head's values; sinks padded with the layer's max + 1.
        for kv in 0..<c.kvHeads {
            let values = streams[e.layout == .queryHead ? kv * c.groupSize : kv].values
            for j in sinks..<n {
                var ss: Float = 0
                for i in 0..<d { let v = values[j * d + i]; ss += v * v }
                perKV[kv][j] *= ss.squareRoot()
            }
        }
        let pad = (perKV.compactMap { $0[sinks...].max() }.max() ?? 0) + 1
        for kv in 0..<c.kvHeads { for j in 0..<sinks { perKV[kv][j] = pad } }
        let keptPerKV = perKV.map { ScoreOps.topK($0, config.budget) }
        let kept = streams.indices.map { s in keptPerKV[e.layout == .queryHead ? s / c.groupSize : s] }
        return LayerSelection(layer: l, budget: config.budget, kept: kept)
    }

    /// C_i, S_i: the mean over positions n … n + 511 of cos and sin of p·θ_i (angles in float32,
    /// as the engine's and transformers' rotary tables compute them).
    func averagedRotation(_ rotary: PrefillEvidence.Rotary, from n: Int, half: Int) -> (cos: [Double], sin: [Double]) {
        let count = ExpectedAttentionDefaults.futurePositions
        var cosMean = [Double](repeating: 0, count: half), sinMean = [Double](repeating: 0, count: half)
        for i in 0..<half {
            for p in n..<(n + count) {
                let angle = Double(Float(p) * rotary.inverseFrequencies[i])
                cosMean[i] += Foundation.cos(angle) / Double(count)
                sinMean[i] += Foundation.sin(angle) / Double(count)
            }
        }
        return (cosMean, sinMean)
    }

    /// μ′ = R μ and Σ′ = R Σ Rᵀ for R's 2 × 2 blocks on each rotated pair (a, b).
    func rotate(mean: [Double], covariance: [Double], cos: [Double], sin: [Double], rotary: PrefillEvidence.Rotary,
                dim d: Int) -> (mu: [Float], sigma: [Float]) {
        // R as a row map: row a mixes (a, b); row b mixes (a, b).
        var partner = [Int](repeating: 0, count: d), diagonal = [Double](repeating: 0, count: d), off = [Double](repeating: 0, count: d)
        for i in 0..<(d / 2) {
            let (a, b) = rotary.pair(i, dim: d)
            partner[a] = b; diagonal[a] = cos[i]; off[a] = -sin[i]   // (Rx)_a = C x_a − S x_b
            partner[b] = a; diagonal[b] = cos[i]; off[b] = sin[i]    // (Rx)_b = S x_a + C x_b
        }
        let mu = (0..<d).map { a in Float(diagonal[a] * mean[a] + off[a] * mean[partner[a]]) }
        var left = [Double](repeating: 0, count: d * d)                 // R Σ
        for a in 0..<d {
            for j in 0..<d { left[a * d + j] = diagonal[a] * covariance[a * d + j] + off[a] * covariance[partner[a] * d + j] }
        }
        var sigma = [Float](repeating: 0, count: d * d)                 // (R Σ) Rᵀ
        for a in 0..<d {
            for b in 0..<d { sigma[a * d + b] = Float(left[a * d + b] * diagonal[b] + left[a * d + partner[b]] * off[b]) }
        }
        return (mu, sigma)
    }
}
