import PolicySpec

/// SnapKV (Li et al., 2024, "SnapKV: LLM Knows What You are Looking for Before Generation"), as
/// KVCache-Factory's `SnapKVCluster`: window-attention column sums over the last w prompt rows,
/// pooled (kernel k, stride 1), top-(B − w) non-window tokens plus the w window tokens, in every layer.
struct SnapKVPolicy: KVPolicy {
    let config: BudgetedPolicy
    var captureWindow: Int { config.effectiveWindow }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        guard e.promptLength >= config.budget else { return keepAll(l, streams) }
        return snapSelect(layer: l, streams: streams, evidence: e, keep: config.budget - e.window, pooled: true)
    }
}
