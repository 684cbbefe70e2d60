import PolicySpec
/// Runs a policy over a session's cache during prefill: gathers the evidence, asks the policy
/// what each layer keeps as soon as that layer has seen the whole prompt, and drops the rest
/// from the cache (memory really drops, and only one layer is ever held uncompressed).
public enum KVCompression {
    /// Prefills `ids`, capturing the last `window` query rows and, if asked, the full-attention
    /// column sums (H2O); `afterLayer` gets each finished layer with the evidence so far.
    /// Returns the last token's logits and the evidence.
    public static func prefill(session: InferenceSession, ids: [Int32], window: Int, columnSums: Bool,
                               queryStatistics: Bool = false,
                               afterLayer: ((Int, PrefillEvidence) -> Void)? = nil) throws
        -> (logits: [Float], evidence: PrefillEvidence) {
        let c = session.model.config
        let queries = WindowQueryCapture(config: c, window: window, promptLength: ids.count, start: session.position)
        let sums = columnSums ? ColumnSumObserver(layers: c.layers, heads: c.heads, limit: ids.count - queries.window) : nil
        let moments = queryStatistics
            ? QueryStatistics(config: c, skip: session.position + ExpectedAttentionDefaults.sinks) : nil
        func evidence() -> PrefillEvidence {
            PrefillEvidence(promptLength: ids.count, config: c, layout: session.cache.layout,
                            windowQueries: queries.queries, window: queries.window, columnSums: sums,
                            queryStatistics: moments, rotary: rotary(of: session.model))
        }
        let observers: [PrefillObserver] = [queries] + (sums.map { [$0] } ?? []) + (moments.map { [$0] } ?? [])
        let logits = try session.prefill(ids, observers: observers,
                                         afterLayer: afterLayer.map { f in { l in f(l, evidence()) } })
        return (logits, evidence())
    }

    /// What `policy` keeps in every layer of the session's (still uncompressed) cache.
    public static func selections(_ policy: KVPolicy, session: InferenceSession, evidence: PrefillEvidence) -> [LayerSelection] {
        session.cache.layers.indices.map { select(policy, layer: $0, session: session, evidence: evidence) }
    }

    public static func select(_ policy: KVPolicy, layer l: Int, session: InferenceSession, evidence: PrefillEvidence) -> LayerSelection {
        policy.select(layer: l, streams: session.cache.layers[l], evidence: evidence)
    }

    /// Drops from the cache every entry a selection does not keep.
    public static func apply(_ selection: LayerSelection, to session: InferenceSession) {
        for (s, stream) in session.cache.layers[selection.layer].enumerated() where selection.kept[s].count < stream.count {
            stream.retain(indices: selection.kept[s])
        }
    }

    /// Prefill, selecting and compressing each layer as soon as it is done (FullKV when `policy`
    /// is nil). Returns the last token's logits and the per-layer selections.
    public static func prefillAndCompress(session: InferenceSession, ids: [Int32], policy: KVPolicy?) throws
        -> (logits: [Float], selections: [LayerSelection]) {
        guard let policy else { return (try session.prefill(ids), []) }
        if let kvzip = policy as? KVzipPolicy {
            let logits = try session.prefill(ids)
            return (logits, try reconstructAndCompress(kvzip, session: session, ids: ids, logits: logits))
        }
        var selections: [LayerSelection] = []
        let (logits, _) = try prefill(session: session, ids: ids, window: policy.captureWindow,
                                      columnSums: policy.needsColumnSums,
                                      queryStatistics: policy.needsQueryStatistics) { l, evidence in
            let sel = select(policy, layer: l, session: session, evidence: evidence)
            apply(sel, to: session)
            selections.append(sel)
        }
        return (logits, selections)
    }

    /// Prefills `ids` without compressing, keeping the K/V and the evidence window-scored
    /// policies with window `window` need (and H2O's column sums when `columnSums`).
    public static func snapshot(model: LanguageModel, ids: [Int32], window: Int, columnSums: Bool,
                                queryStatistics: Bool = false) throws -> PrefillSnapshot {
        let session = InferenceSession(model: model, layout: .kvHead)
        let (logits, evidence) = try prefill(session: session, ids: ids, window: window, columnSums: columnSums,
                                             queryStatistics: queryStatistics)
        return PrefillSnapshot(promptIDs: ids, logits: logits, window: evidence.window, windowQueries: evidence.windowQueries,
                               columnSums: evidence.columnSums, queryStatistics: evidence.queryStatistics, cache: session.cache)
    }

    /// Fills a fresh session from `snapshot` and compresses every layer with `policy` (FullKV
    /// when nil): the same cache `prefillAndCompress` leaves, without the forward pass.
    /// Returns the last prompt token's logits and the selections.
    public static func restore(_ snapshot: PrefillSnapshot, into session: InferenceSession,
                               policy: KVPolicy?) throws -> (logits: [Float], selections: [LayerSelection]) {
        session.adopt(snapshot)
        guard let policy else { return (snapshot.logits, []) }
        if let kvzip = policy as? KVzipPolicy {
            return (snapshot.logits, try reconstructAndCompress(kvzip, session: session, ids: snapshot.promptIDs,
                                                                logits: snapshot.logits))
        }
        let evidence = PrefillEvidence(promptLength: snapshot.promptIDs.count, config: session.model.config,
                                       layout: session.cache.layout, windowQueries: snapshot.windowQueries,
                                       window: snapshot.window, columnSums: snapshot.columnSums,
                                       queryStatistics: snapshot.queryStatistics, rotary: rotary(of: session.model))
        var selections: [LayerSelection] = []
        for l in session.cache.layers.indices {
            let selection = select(policy, layer: l, session: session, evidence: evidence)
            apply(selection, to: session)
            selections.append(selection)
        }
        return (snapshot.logits, selections)
    }

    /// KVzip on a session that holds the whole `ids` prompt uncompressed (its last logits
    /// `logits`): the reconstruction replays, the selections, then the compression.
    private static func reconstructAndCompress(_ kvzip: KVzipPolicy, session: InferenceSession, ids: [Int32],
                                               logits: [Float]) throws -> [LayerSelection] {
        let c = session.model.config
        guard ids.count > kvzip.config.budget else { return session.cache.layers.indices.map { kvzip.keepAll($0, session.cache.layers[$0]) } }
        let scores = try KVzipReconstruction.scores(session: session, promptIDs: ids, logits: logits,
                                                    prompts: KVzipReconstruction.Prompts(model: session.model))
        let selections = KVzipPolicy.selections(scores: scores, keptTotal: kvzip.keptTotal(layers: c.layers, kvHeads: c.kvHeads,
                                                                                            promptLength: ids.count),
                                                budget: kvzip.config.budget, cache: session.cache)
        for selection in selections { apply(selection, to: session) }
        return selections
    }

    static func rotary(of model: LanguageModel) -> PrefillEvidence.Rotary {
        PrefillEvidence.Rotary(inverseFrequencies: model.rotary.invFreq, pairing: model.architecture.rotaryPairing)
    }
}
