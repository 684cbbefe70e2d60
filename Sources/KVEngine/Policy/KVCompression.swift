/// Runs a policy over a session's cache after prefill: gathers the evidence, asks the policy
/// per layer what to keep, and drops the rest from the cache (memory really drops).
public enum KVCompression {
    /// Prefills `ids`, capturing the last `window` query rows and, if asked, the full-attention
    /// column sums (H2O), and returns the last token's logits with the evidence.
    public static func prefill(session: InferenceSession, ids: [Int32], window: Int, columnSums: Bool) throws
        -> (logits: [Float], evidence: PrefillEvidence) {
        let c = session.model.config
        let observer = columnSums ? ColumnSumObserver(layers: c.layers, heads: c.heads, limit: ids.count - window) : nil
        let logits = try session.prefill(ids, observer: observer, captureWindow: window)
        let evidence = PrefillEvidence(promptLength: ids.count, config: c, layout: session.cache.layout,
                                       windowQueries: session.windowQueries, window: session.capturedWindow,
                                       columnSums: observer?.sums)
        return (logits, evidence)
    }

    /// What `policy` keeps in every layer of the session's (still uncompressed) cache.
    public static func selections(_ policy: KVPolicy, session: InferenceSession, evidence: PrefillEvidence) -> [LayerSelection] {
        session.cache.layers.enumerated().map { policy.select(layer: $0, streams: $1, evidence: evidence) }
    }

    /// Drops from the cache every entry a selection does not keep.
    public static func apply(_ selections: [LayerSelection], to session: InferenceSession) {
        for sel in selections {
            for (s, stream) in session.cache.layers[sel.layer].enumerated() where sel.kept[s].count < stream.count {
                stream.retain(indices: sel.kept[s])
            }
        }
        session.releaseCapture()
    }

    /// Prefill, select and compress in one go (FullKV when `policy` is nil).
    public static func prefillAndCompress(session: InferenceSession, ids: [Int32], policy: KVPolicy?) throws
        -> (logits: [Float], selections: [LayerSelection]) {
        guard let policy else { return (try session.prefill(ids), []) }
        let (logits, evidence) = try prefill(session: session, ids: ids, window: policy.captureWindow,
                                             columnSums: policy.needsColumnSums)
        let sel = selections(policy, session: session, evidence: evidence)
        apply(sel, to: session)
        return (logits, sel)
    }
}
