/// How attention scores are pooled before top-k selection (SnapKV and PyramidKV).
public enum Pooling: String, Codable, Sendable, CaseIterable {
    case max
    case avg
}

/// GQA cache layout (design §3): repeat KV heads before selection, or score per KV head.
public enum CacheLayout: String, Codable, Sendable, CaseIterable {
    case queryHead = "query_head"
    case kvHead = "kv_head"
}

/// One KV-cache policy with every parameter that changes its output. Defaults are
/// KVCache-Factory's current LongBench driver: window 8, kernel 7, max-pool, beta 20.
public struct PolicyConfig: Codable, Sendable, Hashable {
    /// fullkv, snapkv, pyramidkv, h2o, streamingllm (the engine validates the name).
    public var name: String

    /// FullKV: no budget applies, every token stays.
    public var keepsWholeCache: Bool { name == "fullkv" }
    public var window: Int
    public var kernel: Int
    public var pooling: Pooling
    public var beta: Int
    public var layout: CacheLayout
    /// A named bundle of settings such as the 2024 paper-era baselines; nil for none.
    public var preset: String?

    public init(name: String, window: Int = 8, kernel: Int = 7, pooling: Pooling = .max,
                beta: Int = 20, layout: CacheLayout = .queryHead, preset: String? = nil) {
        self.name = name
        self.window = window
        self.kernel = kernel
        self.pooling = pooling
        self.beta = beta
        self.layout = layout
        self.preset = preset
    }
}
