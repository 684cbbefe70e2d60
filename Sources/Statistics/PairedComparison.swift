/// Candidate − baseline over the samples both answered (paired by sample id), with a bootstrap
/// interval of the mean difference and the counts of samples that got worse, better, or stayed.
public struct PairedDifference: Codable, Sendable, Equatable {
    public var n: Int
    public var meanDifference: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var worse: Int
    public var better: Int
    public var equal: Int
    /// Mean of each side over the paired samples.
    public var candidateMean: Double
    public var baselineMean: Double
}

public enum StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The two sides share no sample id, so nothing can be paired.
    case noCommonSamples(candidate: Int, baseline: Int)

    public var description: String {
        switch self {
        case .noCommonSamples(let candidate, let baseline):
            "no sample is scored on both sides (candidate \(candidate) samples, baseline \(baseline)); "
                + "a paired comparison needs the same samples"
        }
    }
}

public enum Paired {
    /// Pairs `candidate[id]` with `baseline[id]`; ids on one side only are left out.
    public static func compare(candidate: [String: Double], baseline: [String: Double],
                               confidence: Double = Bootstrap.defaultConfidence,
                               resamples: Int = Bootstrap.defaultResamples,
                               seed: UInt64 = Bootstrap.defaultSeed) throws(StatisticsError) -> PairedDifference {
        let ids = candidate.keys.filter { baseline[$0] != nil }.sorted()
        guard !ids.isEmpty else { throw .noCommonSamples(candidate: candidate.count, baseline: baseline.count) }
        let differences = ids.map { candidate[$0]! - baseline[$0]! }
        let estimate = Bootstrap.mean(differences, confidence: confidence, resamples: resamples, seed: seed)!
        return PairedDifference(
            n: ids.count, meanDifference: estimate.mean, ciLow: estimate.ciLow, ciHigh: estimate.ciHigh,
            worse: differences.filter { $0 < 0 }.count, better: differences.filter { $0 > 0 }.count,
            equal: differences.filter { $0 == 0 }.count,
            candidateMean: Bootstrap.average(ids.map { candidate[$0]! }),
            baselineMean: Bootstrap.average(ids.map { baseline[$0]! }))
    }
}
