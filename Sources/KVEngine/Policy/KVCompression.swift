/// Runs a policy over a session's cache after prefill: gathers the evidence, asks the policy
/// per layer what to keep, and drops the rest from the cache (memory really drops).
public enum KVCompression {
    /// Prefills `ids` with what `policy` needs captured, compresses, and returns the logits of the
    /// last prompt token and the per-layer selections.
    public static func prefillAndCompress(session: InferenceSession, ids: [Int32], policy: KVPolicy?) throws
        -> (logits: [Float], selections: [LayerSelection]) {
        guard let policy else {
            let logits = try session.prefill(ids)
            return (logits, [])
        }
        let c = session.model.config
        let w = policy.captureWindow
        let observer = policy.needsColumnSums ? ColumnSumObserver(layers: c.layers, heads: c.heads, limit: ids.count - w) : nil
        let logits = try session.prefill(ids, observer: observer, captureWindow: w)
        let evidence = PrefillEvidence(promptLength: ids.count, config: c, layout: session.cache.layout,
                                       windowQueries: session.windowQueries, window: session.capturedWindow,
                                       columnSums: observer?.sums)
        var selections: [LayerSelection] = []
        for (l, streams) in session.cache.layers.enumerated() {
            let sel = policy.select(layer: l, streams: streams, evidence: evidence)
            for (s, stream) in streams.enumerated() where sel.kept[s].count < stream.count {
                stream.retain(indices: sel.kept[s])
            }
            selections.append(sel)
        }
        session.releaseCapture()
        return (logits, selections)
    }
}
