import PolicySpec

/// What one layer keeps after compression. `kept[s]` are indices into stream s (ascending),
/// which after prefill are also the tokens' positions.
public struct LayerSelection: Sendable, Equatable {
    public var layer: Int
    /// Tokens this layer's streams were allowed to keep (window included); the prompt length
    /// when the layer is not compressed.
    public var budget: Int
    public var kept: [[Int]]
}

/// What the engine observed during prefill, for policies to score with.
public struct PrefillEvidence {
    public let promptLength: Int
    public let config: ModelConfig
    public let layout: CacheLayout
    /// Post-RoPE query rows of the last `window` prompt positions, per layer, [window][qDim].
    public let windowQueries: [FloatBuffer]
    public let window: Int
    /// Column sums of the full causal attention over all rows, per layer and query head,
    /// for columns 0..<n−window (H2O). nil unless the policy asked for them.
    let columnSums: ColumnSumObserver?
    /// Moments of the pre-RoPE query rows (Expected Attention); nil unless asked for.
    var queryStatistics: QueryStatistics? = nil
    /// The model's rotary embedding (Expected Attention rotates its query statistics to the
    /// positions that follow the prompt); empty frequencies where none was given.
    var rotary = Rotary(inverseFrequencies: [], pairing: .adjacent)

    /// RoPE as the engine applies it: θ_i and which dims each θ_i pairs.
    struct Rotary {
        let inverseFrequencies: [Float]
        let pairing: RotaryPairing

        /// The dims rotated together by θ_i: (2i, 2i+1) or (i, i + d/2).
        func pair(_ i: Int, dim d: Int) -> (Int, Int) { pairing == .halves ? (i, i + d / 2) : (2 * i, 2 * i + 1) }
    }

    /// Window-attention column sums for stream `s` of layer `l`: the query head's own under
    /// `query_head`; the mean over the group's query heads under `kv_head` (KVCache-Factory
    /// `--gqa_score_agg mean`). Length n − window.
    func windowScores(layer l: Int, stream s: Int, keys: KVStream) -> [Float] {
        let heads = layout == .queryHead ? [s] : Array(s * config.groupSize..<(s + 1) * config.groupSize)
        var acc: [Float] = []
        for h in heads {
            let sums = ScoreOps.windowColumnSums(
                queries: windowQueries[l].pointer + h * config.headDim, ldq: config.qDim, window: window,
                keys: keys.keys, count: keys.count, dim: config.headDim)
            acc = acc.isEmpty ? sums : zip(acc, sums).map(+)
        }
        return heads.count == 1 ? acc : acc.map { $0 / Float(heads.count) }
    }

    /// The post-RoPE keys query head `h` attends to, [count][headDim]: its own stream under
    /// `query_head`, its KV head's under `kv_head`.
    func keys(ofQueryHead h: Int, streams: [KVStream]) -> UnsafeMutablePointer<Float> {
        streams[layout == .queryHead ? h : h / config.groupSize].keys
    }

    /// H2O column sums for stream `s` (mean over the group under `kv_head`).
    func fullScores(layer l: Int, stream s: Int) -> [Float] {
        guard let sums = columnSums?.sums[l] else { return [] }
        let heads = layout == .queryHead ? [s] : Array(s * config.groupSize..<(s + 1) * config.groupSize)
        var acc = sums[heads[0]]
        for h in heads.dropFirst() { acc = zip(acc, sums[h]).map(+) }
        return heads.count == 1 ? acc : acc.map { $0 / Float(heads.count) }
    }
}

/// A KV-cache compression policy: decides, once after prefill, which cached tokens each
/// layer and stream keeps. One file per policy; each names the paper and code it follows.
public protocol KVPolicy: Sendable {
    var config: BudgetedPolicy { get }
    /// Prompt rows whose queries the engine must capture (0 = none).
    var captureWindow: Int { get }
    /// Whether the engine must accumulate full-attention column sums during prefill (H2O).
    var needsColumnSums: Bool { get }
    /// Whether the engine must accumulate the pre-RoPE query moments (Expected Attention).
    var needsQueryStatistics: Bool { get }
    func select(layer: Int, streams: [KVStream], evidence: PrefillEvidence) -> LayerSelection
}

extension KVPolicy {
    public var captureWindow: Int { 0 }
    public var needsColumnSums: Bool { false }
    public var needsQueryStatistics: Bool { false }

    /// Keeps everything: the prompt is shorter than the budget.
    func keepAll(_ layer: Int, _ streams: [KVStream]) -> LayerSelection {
        LayerSelection(layer: layer, budget: streams.first?.count ?? 0, kept: streams.map { Array(0..<$0.count) })
    }

    /// SnapKV-style selection: top-`c` of the pooled window scores plus the `w` window tokens.
    func snapSelect(layer l: Int, streams: [KVStream], evidence e: PrefillEvidence, keep c: Int, pooled: Bool) -> LayerSelection {
        let w = e.window, n = e.promptLength
        let kept = streams.indices.map { s -> [Int] in
            var scores = e.windowScores(layer: l, stream: s, keys: streams[s])
            if pooled { scores = ScoreOps.pool(scores, kernel: config.kernel, kind: config.pooling) }
            return ScoreOps.topK(scores, c) + Array((n - w)..<n)
        }
        return LayerSelection(layer: l, budget: c + w, kept: kept)
    }
}

/// Builds the policy a config names.
public enum KVPolicies {
    public static func make(_ config: BudgetedPolicy) throws -> KVPolicy? {
        try config.validate()
        switch config.name {
        case .fullkv: return nil
        case .streamingllm: return StreamingLLMPolicy(config: config)
        case .h2o: return H2OPolicy(config: config)
        case .snapkv: return SnapKVPolicy(config: config)
        case .pyramidkv: return PyramidKVPolicy(config: config)
        case .adakv: return AdaKVPolicy(config: config)
        case .l2norm: return L2NormPolicy(config: config)
        case .tova: return TOVAPolicy(config: config)
        case .keydiff: return KeyDiffPolicy(config: config)
        case .chunkkv: return ChunkKVPolicy(config: config)
        case .cam: return CAMPolicy(config: config)
        case .expectedAttention: return ExpectedAttentionPolicy(config: config)
        case .kvzip: return KVzipPolicy(config: config)
        }
    }
}
