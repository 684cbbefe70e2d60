/// The version of the engine's numerics: bumped whenever a kernel, the forward pass or a
/// policy's selection can change output bits in any numerics mode. It is part of every job key
/// (FleetCore's `EngineVersion.current`), so results of different numerics never share a key.
/// `NumericsFingerprintTests` pins the output bits of each kernel variant and mode and fails,
/// asking for a bump, when they move.
///
/// History: 0.1.0 until 2026-12-07; 0.2.0: packed K-quant/Q5 kernels, BLAS split over the pool,
/// fast mode's int8 prefill and fp32 output projection.
public enum EngineNumerics {
    public static let version = "0.2.0"
}
