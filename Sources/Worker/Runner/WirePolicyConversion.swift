import FleetCore
import KVEngine

/// The one conversion of a job's wire policy into the engine's, shared by the worker and by
/// the coordinator's sample inspector so both run exactly the same policy.
public enum WirePolicyConversion {
    /// FleetCore's wire policy → the engine's. The job's window is the one that runs, for every
    /// policy (the CLI writes the preset's window into the job when `--window` is not given).
    public static func enginePolicy(_ p: FleetCore.PolicyConfig, budget: Int) throws -> KVEngine.PolicyConfig? {
        guard let name = KVEngine.PolicyConfig.Name(rawValue: p.name) else { throw WorkerError.unsupportedPolicy(name: p.name) }
        if name == .fullkv { return nil }
        let preset: KVEngine.PolicyConfig.Preset
        if let raw = p.preset {
            guard let v = KVEngine.PolicyConfig.Preset(rawValue: raw) else { throw WorkerError.unknownPreset(raw) }
            preset = v
        } else {
            preset = .default
        }
        let config = KVEngine.PolicyConfig(
            policy: name, budget: budget, window: p.window, kernel: p.kernel,
            pool: p.pooling.rawValue == "avg" ? .avg : .max, beta: p.beta,
            layout: p.layout.rawValue == "kv_head" ? .kvHead : .queryHead, preset: preset)
        try config.validate()
        return config
    }
}
