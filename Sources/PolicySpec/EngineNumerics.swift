/// The versions of the engine's numerics, one per numerics mode: a mode's version is bumped
/// whenever a kernel, the forward pass or a policy's selection can change that mode's output
/// bits. It is part of every job key (JobSpec's `engine_version`, from the job's mode), so results
/// of different numerics never share a key, while a change to one mode leaves the other mode's
/// keys, and the results already measured under them, in place. A worker leases only jobs whose
/// version it runs. `NumericsFingerprintTests` pins the output bits of each kernel variant and
/// mode with its mode's version and fails, asking for a bump, when they move.
///
/// History: 0.1.0 until 2026-12-07; 0.2.0 (both modes): packed K-quant/Q5 kernels, BLAS split
/// over the pool, fast mode's int8 prefill and fp32 output projection. Fast 0.3.0: int8 min terms
/// (Q4_1, Q5_1, Q4_K, Q5_K) meet the quantized block's sum d·Σq instead of the exact Σx.
public enum EngineNumerics {
    /// Exact mode (fp32 activations), the reference.
    public static let exact = "0.2.0"
    /// Fast mode (int8 activations).
    public static let fast = "0.3.0"

    /// The numerics version of `mode`.
    public static func version(_ mode: ActivationPrecision) -> String {
        switch mode {
        case .f32: exact
        case .int8: fast
        }
    }

    /// Each mode's version by the mode's name ("f32", "int8"), as a worker announces what it runs.
    public static var byMode: [String: String] {
        Dictionary(uniqueKeysWithValues: ActivationPrecision.allCases.map { ($0.rawValue, version($0)) })
    }
}
