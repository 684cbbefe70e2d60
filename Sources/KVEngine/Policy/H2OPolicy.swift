import PolicySpec

/// H2O (Zhang et al., 2023, "H2O: Heavy-Hitter Oracle"), prefill-only as KVCache-Factory's
/// `H2OKVCluster` at HEAD: column sums of the full causal prefill attention over all query rows,
/// no pooling, top-(B − w) plus the last w. The engine accumulates the sums tile by tile
/// (`ColumnSumObserver`), never holding the n×n matrix. `paper2024`: window rows only, w = 32
/// ("SnapKV without pooling", KVCache-Factory issue #16).
struct H2OPolicy: KVPolicy {
    let config: BudgetedPolicy
    var windowRowsOnly: Bool { config.resolvedPreset == .paper2024 }
    var captureWindow: Int { config.effectiveWindow }
    var needsColumnSums: Bool { !windowRowsOnly }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        guard e.promptLength >= config.budget else { return keepAll(l, streams) }
        let c = config.budget - e.window
        if windowRowsOnly { return snapSelect(layer: l, streams: streams, evidence: e, keep: c, pooled: false) }
        let n = e.promptLength, w = e.window
        let kept = streams.indices.map { s in ScoreOps.topK(e.fullScores(layer: l, stream: s), c) + Array((n - w)..<n) }
        return LayerSelection(layer: l, budget: config.budget, kept: kept)
    }
}
