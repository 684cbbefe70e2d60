import PolicySpec

/// FleetCore: the Codable wire types shared by the coordinator, workers and the CLI.
/// No I/O lives here (design §2). (Not an enum named `FleetCore`: that would shadow the
/// module, and `FleetCore.JobSpec` and the like could no longer name its types.)
public enum EngineVersion {
    /// The engine's numerics version for a mode (PolicySpec's `EngineNumerics`, which a test
    /// guards): part of every job key, so old results never mix with new ones; old rows keep theirs.
    public static func of(_ mode: ActivationPrecision) -> String { EngineNumerics.version(mode) }
    /// Exact mode's version: the reference, and what `/health` reports.
    public static let current = EngineNumerics.exact
}
