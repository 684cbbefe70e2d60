/// PolicySpec: the one vocabulary of KV-cache policies, shared by the CLI, the wire (its Codable
/// form is the JSON that job keys hash) and the engine. No dependencies, so FleetCore and
/// KVEngine can both use it without depending on each other.

/// How attention scores are pooled before top-k selection (SnapKV, PyramidKV, AdaKV).
public enum Pooling: String, Codable, Sendable, CaseIterable, PolicyVocabulary {
    case max
    case avg

    public static let noun = "pooling"
    public init(from decoder: any Decoder) throws { self = try Self.decodeVocabulary(from: decoder) }
}

/// How query heads map onto cached streams (design §3, "GQA cache layout").
public enum CacheLayout: String, Codable, Sendable, CaseIterable, PolicyVocabulary {
    /// One stream per query head (K/V repeated before selection), as the published numbers used.
    case queryHead = "query_head"
    /// One stream per KV head: the memory-honest layout.
    case kvHead = "kv_head"

    public static let noun = "layout"
    public init(from decoder: any Decoder) throws { self = try Self.decodeVocabulary(from: decoder) }
}

/// One KV-cache policy with every parameter that changes its output, budget aside (a sweep
/// crosses policies with budgets; `BudgetedPolicy` is the pair the engine runs). Defaults are
/// KVCache-Factory's current LongBench driver: window 8, kernel 7, max-pool, beta 20.
///
/// Its Codable form is the wire form: keys name, window, kernel, pooling, beta, layout, preset;
/// a nil window or preset is omitted. WireFormatGoldenTests pins the bytes.
public struct PolicyConfig: Codable, Sendable, Hashable {
    public enum Name: String, Codable, Sendable, CaseIterable, PolicyVocabulary {
        case fullkv, streamingllm, h2o, snapkv, pyramidkv, adakv, l2norm
        // kvpress's presses (0.5.5) and KVCache-Factory's CAM.
        case tova, keydiff, chunkkv, expectedAttention = "expected_attention", cam, kvzip

        public static let noun = "policy"
        public init(from decoder: any Decoder) throws { self = try Self.decodeVocabulary(from: decoder) }
    }

    /// `default` = KVCache-Factory's current LongBench driver; `paper2024` = the 2024 paper era
    /// (window 32 for SnapKV/H2O, StreamingLLM first B−32 + last 32, H2O window rows only,
    /// PyramidKV step divisor L).
    public enum Preset: String, Codable, Sendable, CaseIterable, PolicyVocabulary {
        case `default`, paper2024

        public static let noun = "preset"
        public init(from decoder: any Decoder) throws { self = try Self.decodeVocabulary(from: decoder) }
    }

    public var name: Name
    /// Observation window (last prompt rows); nil = the preset's value for the policy
    /// (`effectiveWindow`).
    public var window: Int?
    public var kernel: Int
    public var pooling: Pooling
    public var beta: Int
    public var layout: CacheLayout
    /// nil = no preset, which is the `default` preset. Kept apart from `.default` because the
    /// wire spells both and a submitted spec re-encodes as it came; `normalized` folds them.
    public var preset: Preset?
    /// ChunkKV's chunk length in tokens; nil = its default (`effectiveChunkSize`), omitted from
    /// the wire, so the other policies' keys do not change.
    public var chunkSize: Int?

    /// `kernel` and `pooling` default to the policy's reference values (`defaultKernel`,
    /// `defaultPooling`): KVCache-Factory's 7 and max, kvpress's 5 and avg for ChunkKV.
    public init(name: Name, window: Int? = nil, kernel: Int? = nil, pooling: Pooling? = nil,
                beta: Int = 20, layout: CacheLayout = .queryHead, preset: Preset? = nil, chunkSize: Int? = nil) {
        self.name = name
        self.window = window
        self.kernel = kernel ?? Self.defaultKernel(for: name)
        self.pooling = pooling ?? Self.defaultPooling(for: name)
        self.beta = beta
        self.layout = layout
        self.preset = preset
        self.chunkSize = chunkSize
    }

    /// The pooling kernel of the policy's reference: kvpress's SnapKV (5) under ChunkKV, else
    /// KVCache-Factory's 7.
    public static func defaultKernel(for name: Name) -> Int { name == .chunkkv ? 5 : 7 }
    public static func defaultPooling(for name: Name) -> Pooling { name == .chunkkv ? .avg : .max }

    /// ChunkKV's chunk length: explicit, else kvpress's 20.
    public var effectiveChunkSize: Int { chunkSize ?? 20 }

    /// FullKV: no budget applies, every token stays.
    public var keepsWholeCache: Bool { name == .fullkv }

    /// The preset in force (no preset is `default`).
    public var resolvedPreset: Preset { preset ?? .default }

    /// The form a job is keyed by and run with: "default" spelled as no preset, and FullKV reduced
    /// to what it runs (the whole cache in the KV-head layout; window, pooling and β unused), so
    /// equal work gets one key and the recorded layout is the one whose bytes are reported.
    public var normalized: PolicyConfig {
        if keepsWholeCache { return PolicyConfig(name: name, layout: .kvHead) }
        var copy = self
        if copy.preset == .default { copy.preset = nil }
        return copy
    }

    /// The window actually used: explicit, else 32 for SnapKV/H2O under paper2024, else 8.
    /// StreamingLLM without a window: 32 recent under paper2024, else the 4 sink tokens
    /// (it keeps 4 sinks + B − 4 recent; see StreamingLLMPolicy).
    public var effectiveWindow: Int {
        if let window { return window }
        switch (resolvedPreset, name) {
        case (.paper2024, .snapkv), (.paper2024, .h2o): return 32
        case (_, .streamingllm): return resolvedPreset == .paper2024 ? 32 : 4
        case (_, .chunkkv): return 64          // kvpress's SnapKVPress window
        case (_, .keydiff), (_, .expectedAttention), (_, .kvzip): return 0  // no prompt query rows scored
        default: return 8
        }
    }

    /// Rejects parameter combinations that have no meaning under `budget` (tokens per layer,
    /// window included), naming the parameter. FullKV takes any budget.
    public func validate(budget: Int) throws(PolicyError) {
        func bad(_ parameter: String, _ value: Int, _ why: String) -> PolicyError {
            PolicyError(parameter: parameter, value: "\(value)", reason: why)
        }
        if name == .fullkv { return }
        guard budget > 0 else { throw bad("budget", budget, "must be a positive number of tokens per layer") }
        guard effectiveWindow >= 0 else { throw bad("window", effectiveWindow, "must be ≥ 0") }
        if ![.l2norm, .keydiff, .expectedAttention, .tova, .chunkkv, .kvzip].contains(name) {
            guard budget > effectiveWindow else {
                throw bad("budget", budget, "must exceed the window (\(effectiveWindow)) for \(name.rawValue)")
            }
        }
        if name == .tova { guard effectiveWindow >= 1 else { throw bad("window", effectiveWindow, "must be ≥ 1 for tova (it scores with the last captured row)") } }
        if name == .chunkkv {
            guard effectiveChunkSize >= 1 else { throw bad("chunk_size", effectiveChunkSize, "must be ≥ 1") }
        } else if chunkSize != nil {
            throw bad("chunk_size", effectiveChunkSize, "applies to chunkkv only, not \(name.rawValue)")
        }
        if name == .expectedAttention, budget <= ExpectedAttentionDefaults.sinks {
            throw bad("budget", budget, "must exceed the \(ExpectedAttentionDefaults.sinks) sink tokens expected_attention keeps")
        }
        if [.snapkv, .pyramidkv, .adakv, .chunkkv, .cam].contains(name) {
            guard effectiveWindow >= 1 else { throw bad("window", effectiveWindow, "must be ≥ 1 for \(name.rawValue)") }
            guard kernel >= 1, kernel % 2 == 1 else { throw bad("kernel", kernel, "must be an odd number ≥ 1") }
        }
        if name == .pyramidkv { guard beta > 0 else { throw bad("beta", beta, "must be > 0") } }
    }

    /// This policy under `budget`: what the engine runs.
    public func budgeted(_ budget: Int) -> BudgetedPolicy { BudgetedPolicy(self, budget: budget) }
}

/// A policy parameter that has no meaning, named as the flag and the wire field spell it.
public struct PolicyError: Error, Equatable, CustomStringConvertible, Sendable {
    /// "budget", "window", "kernel", "beta", or a vocabulary field ("policy", "preset", …).
    public var parameter: String
    public var value: String
    public var reason: String

    public init(parameter: String, value: String, reason: String) {
        self.parameter = parameter
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(parameter) = \(value): \(reason)" }
}
