/// FleetCore: the Codable wire types shared by the coordinator, workers and the CLI.
/// No I/O lives here (design §2). (Not an enum named `FleetCore`: that would shadow the
/// module, and `FleetCore.JobSpec` and the like could no longer name its types.)
public enum EngineVersion {
    /// Bumped whenever the engine's numerics or a policy's selection can change outputs;
    /// it is part of every job key, so old results never mix with new ones.
    public static let current = "0.1.0"
}
