import PolicySpec

/// PyramidKV (Cai et al., 2024, arXiv 2406.02069), as KVCache-Factory's `PyramidKVCluster`:
/// SnapKV scoring with per-layer budgets C_l + w, wide at the bottom and narrow at the top
/// (`PyramidBudget`, integer arithmetic; `paper2024` uses step divisor L instead of L − 1).
struct PyramidKVPolicy: KVPolicy {
    let config: BudgetedPolicy
    var captureWindow: Int { config.effectiveWindow }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        let plan = PyramidBudget.nonWindowCounts(
            budget: config.budget, window: e.window, beta: config.beta, layers: e.config.layers,
            promptLength: e.promptLength, stepDivisorIsLayers: config.resolvedPreset == .paper2024)
        if plan.regime == .uncompressed { return keepAll(l, streams) }
        return snapSelect(layer: l, streams: streams, evidence: e, keep: plan.counts[l], pooled: true)
    }
}
