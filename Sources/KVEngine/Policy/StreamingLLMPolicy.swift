import PolicySpec

/// StreamingLLM (Xiao et al., 2023, "Efficient Streaming Language Models with Attention Sinks"),
/// as KVCache-Factory's `StreamingLLMKVCluster` runs it: the first `B − w` tokens plus the last
/// `w`, no scoring, no re-rotation. Default driver: w = B − 4 (4 sinks + B − 4 recent);
/// `paper2024`: w = 32 (first B − 32 + last 32). An explicit --window sets w.
struct StreamingLLMPolicy: KVPolicy {
    let config: BudgetedPolicy

    /// Recent tokens kept.
    var recent: Int {
        if let w = config.window { return w }
        return config.resolvedPreset == .paper2024 ? 32 : config.budget - 4
    }

    func select(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence) -> LayerSelection {
        let n = e.promptLength, b = config.budget
        guard n >= b else { return keepAll(l, streams) }
        let r = recent
        let kept = Array(0..<(b - r)) + Array((n - r)..<n)
        return LayerSelection(layer: l, budget: b, kept: streams.map { _ in kept })
    }
}
