/// A KV-compression policy and all its parameters (design §3). Every field changes outputs, so
/// the whole struct is recorded with every result and hashed into job keys.
public struct PolicyConfig: Codable, Sendable, Hashable {
    public enum Name: String, Codable, Sendable, CaseIterable {
        case fullkv, streamingllm, h2o, snapkv, pyramidkv, adakv, l2norm
    }
    public enum Pool: String, Codable, Sendable, CaseIterable { case max, avg }
    /// `default` = KVCache-Factory's current LongBench driver; `paper2024` = the 2024 paper era
    /// (window 32 for SnapKV/H2O, StreamingLLM first B−32 + last 32, H2O window rows only,
    /// PyramidKV step divisor L).
    public enum Preset: String, Codable, Sendable, CaseIterable { case `default`, paper2024 }

    public var policy: Name
    /// Tokens kept per layer, window included ("KV size").
    public var budget: Int
    /// Observation window (last prompt rows). nil = the preset's value for the policy.
    public var window: Int?
    public var kernel: Int
    public var pool: Pool
    public var beta: Int
    public var layout: CacheLayout
    public var preset: Preset

    public init(policy: Name, budget: Int = 0, window: Int? = nil, kernel: Int = 7, pool: Pool = .max,
                beta: Int = 20, layout: CacheLayout = .queryHead, preset: Preset = .default) {
        self.policy = policy
        self.budget = budget
        self.window = window
        self.kernel = kernel
        self.pool = pool
        self.beta = beta
        self.layout = layout
        self.preset = preset
    }

    /// The window actually used: explicit, else 32 for SnapKV/H2O under paper2024, else 8.
    public var effectiveWindow: Int {
        if let window { return window }
        switch (preset, policy) {
        case (.paper2024, .snapkv), (.paper2024, .h2o): return 32
        case (_, .streamingllm): return preset == .paper2024 ? 32 : 4
        default: return 8
        }
    }

    /// Rejects parameter combinations that have no meaning, naming the parameter.
    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ why: String) -> EngineError {
            .invalidArgument(name: name, value: "\(value)", reason: why)
        }
        if policy == .fullkv { return }
        guard budget > 0 else { throw bad("budget", budget, "must be a positive number of tokens per layer") }
        guard effectiveWindow >= 0 else { throw bad("window", effectiveWindow, "must be ≥ 0") }
        if policy != .l2norm {
            guard budget > effectiveWindow else {
                throw bad("budget", budget, "must exceed the window (\(effectiveWindow)) for \(policy.rawValue)")
            }
        }
        if [.snapkv, .pyramidkv, .adakv].contains(policy) {
            guard effectiveWindow >= 1 else { throw bad("window", effectiveWindow, "must be ≥ 1 for \(policy.rawValue)") }
            guard kernel >= 1, kernel % 2 == 1 else { throw bad("kernel", kernel, "must be an odd number ≥ 1") }
        }
        if policy == .pyramidkv { guard beta > 0 else { throw bad("beta", beta, "must be > 0") } }
    }
}
