import PolicySpec

/// ChunkKV (Liu et al., 2025, "ChunkKV: Semantic-Preserving KV Cache Compression"), as kvpress
/// 0.5.5's `ChunkKVPress(press=SnapKVPress())`: SnapKV's scores (window-mean attention of the
/// last w rows, pooled, averaged over each GQA group; window columns padded with max + 1),
/// summed over KV heads, then whole chunks of `chunk_size` tokens kept by their mean score, the
/// same chunks in every stream. The chunk count follows kvpress's ratio:
/// max(1, int(#chunks · (1 − r))) with r = 1 − (B + 0.5)/n, so the tokens kept are a multiple of
/// the chunk size near B, not B (the last partial chunk counts as a chunk). A chunk straddling
/// the window's start can be dropped with its window tokens, as in kvpress.
struct ChunkKVPolicy: KVPolicy {
    let config: BudgetedPolicy
    var captureWindow: Int { config.effectiveWindow }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        let n = e.promptLength, w = e.window, c = e.config
        guard n > config.budget, n > w else { return keepAll(l, streams) }
        // s[kv][j], j < n − w: the group's mean of each head's pooled window-mean scores.
        var perKV = [[Float]](repeating: [Float](repeating: 0, count: n - w), count: c.kvHeads)
        for h in 0..<c.heads {
            let sums = ScoreOps.windowColumnSums(queries: e.windowQueries[l].pointer + h * c.headDim, ldq: c.qDim, window: w,
                                                 keys: e.keys(ofQueryHead: h, streams: streams), count: n, dim: c.headDim)
            let pooled = ScoreOps.pool(sums.map { $0 / Float(w) }, kernel: config.kernel, kind: config.pooling)
            let kv = h / c.groupSize
            for j in 0..<(n - w) { perKV[kv][j] += pooled[j] / Float(c.groupSize) }
        }
        let pad = (perKV.compactMap { $0.max() }.max() ?? 0) + 1
        // t[j]: summed over KV heads; window columns are max + 1 in every head.
        var total = [Float](repeating: Float(c.kvHeads) * pad, count: n)
        for j in 0..<(n - w) { total[j] = perKV.reduce(0) { $0 + $1[j] } }
        let size = config.effectiveChunkSize
        let complete = n / size, rest = n % size
        guard complete > 0 else {
            // kvpress falls back to the inner SnapKV press: top-B of each KV head's scores.
            let kept = streams.indices.map { s -> [Int] in
                let scores = perKV[e.layout == .queryHead ? s / c.groupSize : s] + [Float](repeating: pad, count: w)
                return ScoreOps.topK(scores, config.budget)
            }
            return LayerSelection(layer: l, budget: config.budget, kept: kept)
        }
        let chunks = complete + (rest > 0 ? 1 : 0)
        let chunkScores = (0..<chunks).map { k -> Float in
            let lo = k * size, hi = min(n, lo + size)
            return total[lo..<hi].reduce(0, +) / Float(hi - lo)
        }
        let keepChunks = max(1, Int(Double(chunks) * (Double(config.budget) + 0.5) / Double(n)))
        let kept = ScoreOps.topK(chunkScores, keepChunks).flatMap { k in Array((k * size)..<min(n, k * size + size)) }
        return LayerSelection(layer: l, budget: kept.count, kept: streams.map { _ in kept })
    }
}
