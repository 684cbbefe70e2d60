import PolicySpec

/// KVzip (Kim et al. 2025, "KVzip: Query-Agnostic KV Cache Compression with Context
/// Reconstruction", arXiv 2505.23416), as kvpress 0.5.5's `KVzipPress` with its defaults
/// (layerwise false, n_sink 4, KVzip+ normalization off, chunk_size 2048).
///
/// After the prompt is prefilled, the model is asked to repeat it ("Repeat the previous context
/// exactly.", chunk by chunk; `KVzipReconstruction`). A prompt entry's score is the largest
/// attention any reconstruction query of its KV group gives it; the first 4 entries are never
/// evicted. Entries are kept by one ranking over every layer and KV head (layerwise false), so
/// layers and heads keep different counts; the total is what a uniform budget B would keep:
/// layers × KV heads × B (kvpress's ratio r ↔ B = n·(1 − r)). The replay costs a second prefill
/// over the prompt, counted in the job's prefill time.
struct KVzipPolicy: KVPolicy {
    let config: BudgetedPolicy
    static let sinks = 4
    static let chunkSize = 2048

    /// Not reached: KVzip selects once the whole prompt is cached, from the reconstruction scores
    /// (`KVCompression` runs it so, not layer by layer).
    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection { keepAll(l, streams) }

    /// Entries kept over all layers and KV heads for an `n`-token prompt.
    func keptTotal(layers: Int, kvHeads: Int, promptLength n: Int) -> Int { layers * kvHeads * min(config.budget, n) }

    /// The selections for `scores` [layer][KV head][n]: the top `keptTotal` entries over every
    /// layer and KV head (ties: earlier layer, head, position first), each stream keeping its KV
    /// head's (the query-head layout repeats them per query head).
    static func selections(scores: [[[Float]]], keptTotal: Int, budget: Int, cache: KVCache) -> [LayerSelection] {
        let n = scores.first?.first?.count ?? 0
        var flat: [(score: Float, layer: Int, head: Int, index: Int)] = []
        flat.reserveCapacity(scores.count * (scores.first?.count ?? 0) * n)
        for (l, heads) in scores.enumerated() {
            for (g, row) in heads.enumerated() { for (i, x) in row.enumerated() { flat.append((x, l, g, i)) } }
        }
        flat.sort { $0.score != $1.score ? $0.score > $1.score : ($0.layer, $0.head, $0.index) < ($1.layer, $1.head, $1.index) }
        var kept = scores.map { $0.map { _ in [Int]() } }
        for entry in flat.prefix(keptTotal) { kept[entry.layer][entry.head].append(entry.index) }
        return cache.layers.indices.map { l in
            LayerSelection(layer: l, budget: budget,
                           kept: cache.layers[l].indices.map { s in kept[l][cache.kvHead(ofStream: s)].sorted() })
        }
    }
}
