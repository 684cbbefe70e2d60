import ArgumentParser
import KVEngine
import PolicySpec

/// KV-policy flags shared by generate, kv-inspect and bench.
struct PolicyOptions: ParsableArguments {
    @Option(help: "KV policy: \(PolicyConfig.Name.knownValues).")
    var policy: PolicyConfig.Name = .fullkv
    @Option(help: "Tokens kept per layer, window included.") var budget: Int?
    @Option(help: "Observation window (default 8; paper2024: 32 for snapkv/h2o; chunkkv 64).") var window: Int?
    @Option(help: "Pooling kernel, odd (default: the policy's reference: 7; chunkkv 5).") var kernel: Int?
    @Option(help: "Pooling: \(Pooling.knownValues) (default: the policy's reference: max; chunkkv avg).") var pool: Pooling?
    @Option(help: "ChunkKV's chunk length in tokens (default 20).") var chunkSize: Int?
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
                             layout: resolvedLayout, preset: preset, chunkSize: chunkSize).budgeted(budget)
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
