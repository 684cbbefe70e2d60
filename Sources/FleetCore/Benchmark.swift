/// The two benchmarks a sweep can run (design §3).
public enum Benchmark: String, Codable, Sendable, CaseIterable {
    case needle
    case longbench
}
