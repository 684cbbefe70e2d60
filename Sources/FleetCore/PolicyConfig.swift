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
    /// Observation window; nil = the preset's value for the policy, resolved by the engine
    /// (8; 32 for SnapKV/H2O under paper2024; StreamingLLM keeps 4 sinks + B − 4 recent).
    public var window: Int?
    public var kernel: Int
    public var pooling: Pooling
    public var beta: Int
    public var layout: CacheLayout
    /// A named bundle of settings such as the 2024 paper-era baselines; nil for none.
    public var preset: String?

    public init(name: String, window: Int? = nil, kernel: Int = 7, pooling: Pooling = .max,
                beta: Int = 20, layout: CacheLayout = .queryHead, preset: String? = nil) {
        self.name = name
        self.window = window
        self.kernel = kernel
        self.pooling = pooling
        self.beta = beta
        self.layout = layout
        self.preset = preset
    }

    /// The policies workers run (KVEngine's `PolicyConfig.Name`; a test checks they agree).
    public static let names = ["fullkv", "streamingllm", "h2o", "snapkv", "pyramidkv", "adakv", "l2norm"]
    /// Named presets (KVEngine's `PolicyConfig.Preset`); "default" is spelled as no preset.
    public static let presets = ["default", "paper2024"]

    /// The form a job is keyed by and run with: "default" spelled as no preset, and FullKV reduced
    /// to what it runs (the whole cache in the KV-head layout; window, pooling and β unused), so
    /// equal work gets one key and the recorded layout is the one whose bytes are reported.
    public var normalized: PolicyConfig {
        if keepsWholeCache { return PolicyConfig(name: name, layout: .kvHead) }
        var copy = self
        if copy.preset == "default" { copy.preset = nil }
        return copy
    }
}
