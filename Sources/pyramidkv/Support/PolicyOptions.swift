import ArgumentParser
import KVEngine
import PolicySpec

/// KV-policy flags shared by generate, kv-inspect and bench.
struct PolicyOptions: ParsableArguments {
    @Option(help: "KV policy: \(PolicyConfig.Name.knownValues).")
    var policy: PolicyConfig.Name = .fullkv
    @Option(help: "Tokens kept per layer, window included.") var budget: Int?
    @Option(help: "Observation window (default 8; paper2024: 32 for snapkv/h2o).") var window: Int?
    @Option(help: "Pooling kernel (odd).") var kernel = 7
    @Option(help: "Pooling: \(Pooling.knownValues).") var pool: Pooling = .max
    @Option(help: "PyramidKV beta.") var beta = 20
    @Option(help: "KV layout: query_head (default for policies, as published) or kv_head (memory-honest; default for fullkv, which stores KV heads as HF does).")
    var layout: CacheLayout?
    @Option(help: "Parameter preset: default (KVCache-Factory HEAD) or paper2024.") var preset: PolicyConfig.Preset = .default

    /// The layout in force: explicit, else kv_head for FullKV and query_head for policies.
    var resolvedLayout: CacheLayout { layout ?? (policy == .fullkv ? .kvHead : .queryHead) }

    /// The validated policy under its budget, or nil for FullKV.
    func config() throws -> BudgetedPolicy? {
        if policy == .fullkv {
            if budget != nil { throw ValidationError("--budget has no meaning with --policy fullkv") }
            return nil
        }
        guard let budget else { throw ValidationError("--budget is required with --policy \(policy.rawValue)") }
        let c = PolicyConfig(name: policy, window: window, kernel: kernel, pooling: pool, beta: beta,
                             layout: resolvedLayout, preset: preset).budgeted(budget)
        do { try c.validate() } catch { throw ValidationError("\(error)") }
        return c
    }
}

extension PolicyConfig.Name: ExpressibleByArgument {}
extension Pooling: ExpressibleByArgument {}
extension PolicyConfig.Preset: ExpressibleByArgument {}
extension CacheLayout: ExpressibleByArgument {}
extension KVDType: ExpressibleByArgument {}
extension ActivationPrecision: ExpressibleByArgument {}
