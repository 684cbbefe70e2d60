import Foundation
import PolicySpec

/// CaM (Zhang et al., 2024, "CaM: Cache Merging for Memory-efficient LLMs Inference"), as
/// KVCache-Factory's `CAMKVCluster` (pyramidkv_utils.py; its `--method CAM` runs window 8):
/// kept = top (B − w) by the window-attention column sums (no pooling) + the w window tokens,
/// as SnapKV keeps; and before the gather every token i in [⌈0.1·n⌉, n − w), kept or not, in
/// ascending order, spreads p_i · V_i / w into each of the next w positions (cascading: V_i
/// already holds what earlier tokens spread into it), with
/// p_i = col_i / max(max_{j<⌈0.1n⌉} col_j, max_{i≤j<i+w} col_j) and col the window-mean attention
/// over all n columns. KVCache-Factory draws the merge mask from Bernoulli(p_i); this engine
/// merges with its expectation p_i (deterministic, so a job key names one output; the fixture
/// of tools/gen_press_reference.py makes the same substitution). The merge does not depend on
/// the budget; with n < B nothing is compressed or merged. Streams: per query head under
/// `query_head`; under `kv_head` the group's mean attention (`--gqa_score_agg mean`).
struct CAMPolicy: KVPolicy {
    let config: BudgetedPolicy
    var captureWindow: Int { config.effectiveWindow }
    /// KVCache-Factory's `start_budget_ratio` (never set from its config).
    static let startBudgetRatio = 0.1

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        let n = e.promptLength, w = e.window, c = e.config
        guard n >= config.budget, n > w else { return keepAll(l, streams) }
        let start = Int((Self.startBudgetRatio * Double(n)).rounded(.up))
        let kept = streams.indices.map { s -> [Int] in
            // sums[j]: Σ over window rows of the attention on column j, all n columns; [n].
            let heads = e.layout == .queryHead ? [s] : Array(s * c.groupSize..<(s + 1) * c.groupSize)
            var sums = [Float](repeating: 0, count: n)
            for h in heads {
                let one = ScoreOps.windowColumnSums(queries: e.windowQueries[l].pointer + h * c.headDim, ldq: c.qDim, window: w,
                                                    keys: streams[s].keys, count: n, dim: c.headDim, allColumns: true)
                for j in 0..<n { sums[j] += one[j] / Float(heads.count) }
            }
            Self.merge(values: streams[s].values, dim: streams[s].dim, columnMeans: sums.map { $0 / Float(w) },
                       start: start, window: w)
            return ScoreOps.topK(Array(sums[..<(n - w)]), config.budget - w) + Array((n - w)..<n)
        }
        return LayerSelection(layer: l, budget: config.budget, kept: kept)
    }

    /// The cascading merge over values [n][dim], in place (the expectation of the Bernoulli mask).
    static func merge(values v: UnsafeMutablePointer<Float>, dim d: Int, columnMeans col: [Float], start: Int, window w: Int) {
        let n = col.count
        guard start < n - w else { return }
        let headMax = col[..<start].max() ?? -.infinity
        for i in start..<(n - w) {
            let localMax = col[i..<min(n, i + w)].max() ?? -.infinity
            var p = col[i] / max(headMax, localMax)
            if p.isNaN { p = 0 } else if p.isInfinite { p = 1 }
            p = min(1, max(0, p))
            let weight = p / Float(w)
            for j in (i + 1)...min(i + w, n - 1) {
                for k in 0..<d { v[j * d + k] += weight * v[i * d + k] }
            }
        }
    }
}
