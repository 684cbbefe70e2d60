import PolicySpec

/// AdaKV (Feng et al., 2024, "Ada-KV: Optimizing KV Cache Eviction by Adaptive Budget
/// Allocation"), as KVCache-Factory's adaptation (driver: window 8, kernel 7, max-pool;
/// floor_ratio 0.2, normalize on; see ../shared/reference/anchors.md §1.3):
/// per-stream score = window-mean attention, pooled; with normalize, each stream's scores are
/// scaled by Σ top-B′ / Σ all of that stream; a global top-(S·B′) over all S streams of the
/// layer gives each stream a count; stream s keeps round(count_s·0.8 + int(0.2·B′)) of its own
/// top tokens plus the window. So streams (heads) keep different numbers of tokens.
struct AdaKVPolicy: KVPolicy {
    let config: BudgetedPolicy
    static let floorRatio = 0.2
    var captureWindow: Int { config.effectiveWindow }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        let n = e.promptLength, w = e.window
        guard n >= config.budget else { return keepAll(l, streams) }
        let b = config.budget - w
        let scores = streams.indices.map { s in
            ScoreOps.pool(e.windowScores(layer: l, stream: s, keys: streams[s]).map { $0 / Float(w) },
                          kernel: config.kernel, kind: config.pooling)
        }
        let scaled = scores.map { s -> [Float] in
            let total = s.reduce(0, +)
            let top = s.sorted(by: >).prefix(b).reduce(0, +)
            let factor = total > 0 ? top / total : 1
            return s.map { $0 * factor }
        }
        // Global top-(S·B′) over the layer's streams.
        var flat: [(score: Float, stream: Int, index: Int)] = []
        for (s, v) in scaled.enumerated() { for (i, x) in v.enumerated() { flat.append((x, s, i)) } }
        flat.sort { $0.score != $1.score ? $0.score > $1.score : ($0.stream, $0.index) < ($1.stream, $1.index) }
        var counts = [Int](repeating: 0, count: streams.count)
        for item in flat.prefix(streams.count * b) { counts[item.stream] += 1 }
        let floor = Int(Self.floorRatio * Double(b))
        let kept = streams.indices.map { s -> [Int] in
            let cap = Int((Double(counts[s]) * (1 - Self.floorRatio) + Double(floor)).rounded())
            return ScoreOps.topK(scores[s], min(cap, n - w)) + Array((n - w)..<n)
        }
        return LayerSelection(layer: l, budget: config.budget, kept: kept)
    }
}
