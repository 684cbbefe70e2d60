/// Percentile bootstrap intervals for means (Efron & Tibshirani 1993, §13.3), matching
/// `scipy.stats.bootstrap(..., method="percentile")` up to Monte-Carlo error
/// (tools/gen_bootstrap_fixtures.py checks that). Seeded, so results are reproducible.
public enum Bootstrap {
    public static let defaultResamples = 10_000
    public static let defaultSeed: UInt64 = 20_240_601
    public static let defaultConfidence = 0.95

    /// The mean of `values` and its interval; nil when there are no values.
    public static func mean(_ values: [Double], confidence: Double = defaultConfidence,
                            resamples: Int = defaultResamples, seed: UInt64 = defaultSeed) -> MeanEstimate? {
        meanOfMeans([values], confidence: confidence, resamples: resamples, seed: seed)
    }

    /// The plain mean of the strata's means (a table's "average" over datasets) with an interval
    /// from resampling every stratum on its own: datasets stay fixed, samples within them vary.
    /// Empty strata are left out; nil when all are empty.
    public static func meanOfMeans(_ strata: [[Double]], confidence: Double = defaultConfidence,
                                   resamples: Int = defaultResamples,
                                   seed: UInt64 = defaultSeed) -> MeanEstimate? {
        let groups = strata.filter { !$0.isEmpty }
        guard !groups.isEmpty else { return nil }
        let point = groups.map(average).reduce(0, +) / Double(groups.count)
        let n = groups.reduce(0) { $0 + $1.count }
        // A constant sample (or one value per stratum) has no spread to resample.
        if groups.allSatisfy({ group in group.allSatisfy { $0 == group[0] } }) {
            return MeanEstimate(mean: point, n: n, ciLow: point, ciHigh: point)
        }
        var generator = SplitMix64(seed: seed)
        let count = max(1, resamples)
        var replicates = [Double](repeating: 0, count: count)
        for b in 0..<count {
            var total = 0.0
            for group in groups {
                var sum = 0.0
                for _ in 0..<group.count { sum += group[generator.index(below: group.count)] }
                total += sum / Double(group.count)
            }
            replicates[b] = total / Double(groups.count)
        }
        replicates.sort()
        let alpha = (1 - min(max(confidence, 0), 1)) / 2
        return MeanEstimate(mean: point, n: n,
                            ciLow: min(point, percentile(sorted: replicates, alpha)),
                            ciHigh: max(point, percentile(sorted: replicates, 1 - alpha)))
    }

    /// numpy's default ("linear") percentile of sorted values, q in 0...1.
    static func percentile(sorted values: [Double], _ q: Double) -> Double {
        let position = q * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        let fraction = position - Double(lower)
        return values[lower] + fraction * (values[upper] - values[lower])
    }

    static func average(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}
