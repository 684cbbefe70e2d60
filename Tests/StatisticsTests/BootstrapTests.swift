import Foundation
import Testing
@testable import Statistics

/// The bootstrap against scipy.stats.bootstrap (tools/gen_bootstrap_fixtures.py).
struct BootstrapTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            let name: String
            let values: [Double]
            let mean: Double
            let ci_low: Double
            let ci_high: Double
            let tolerance: Double
        }
        let cases: [Case]
    }

    static func reference() throws -> Reference {
        let url = try #require(Bundle.module.url(forResource: "bootstrap_reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    @Test func matchesScipyPercentileIntervals() throws {
        let reference = try Self.reference()
        #expect(reference.cases.count >= 8)
        for c in reference.cases {
            let estimate = try #require(Bootstrap.mean(c.values))
            #expect(abs(estimate.mean - c.mean) < 1e-12, "\(c.name) mean")
            #expect(estimate.n == c.values.count)
            #expect(abs(estimate.ciLow - c.ci_low) <= c.tolerance, "\(c.name) low \(estimate.ciLow) vs \(c.ci_low)")
            #expect(abs(estimate.ciHigh - c.ci_high) <= c.tolerance, "\(c.name) high \(estimate.ciHigh) vs \(c.ci_high)")
        }
    }

    @Test func seededIntervalsRepeatAndSeedsDiffer() throws {
        let values = (0..<40).map { sin(Double($0)) }
        let a = try #require(Bootstrap.mean(values, seed: 1))
        let b = try #require(Bootstrap.mean(values, seed: 1))
        let c = try #require(Bootstrap.mean(values, seed: 2))
        #expect(a == b)
        #expect(a.ciLow != c.ciLow || a.ciHigh != c.ciHigh)
    }

    @Test func degenerateSamples() throws {
        #expect(Bootstrap.mean([]) == nil)
        #expect(Bootstrap.mean([0.25]) == MeanEstimate(mean: 0.25, n: 1, ciLow: 0.25, ciHigh: 0.25))
        #expect(Bootstrap.mean([1, 1, 1]) == MeanEstimate(mean: 1, n: 3, ciLow: 1, ciHigh: 1))
        #expect(Bootstrap.meanOfMeans([[], []]) == nil)
    }

    @Test func intervalNarrowsWithMoreSamples() throws {
        let small = try #require(Bootstrap.mean((0..<20).map { Double($0 % 2) }))
        let large = try #require(Bootstrap.mean((0..<2000).map { Double($0 % 2) }))
        #expect(large.halfWidth < small.halfWidth / 5)
        // Normal approximation: half width ≈ 1.96 · 0.5 / √n.
        #expect(abs(large.halfWidth - 1.96 * 0.5 / sqrt(2000)) < 0.004)
    }

    /// The average over datasets: point = plain mean of dataset means (not of all samples);
    /// the interval only reflects within-dataset resampling.
    @Test func meanOfMeansWeighsStrataEqually() throws {
        let a = [Double](repeating: 1, count: 90) + [Double](repeating: 0, count: 10)
        let b: [Double] = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        let estimate = try #require(Bootstrap.meanOfMeans([a, b]))
        #expect(abs(estimate.mean - (0.9 + 0.1) / 2) < 1e-12)
        #expect(estimate.n == 110)
        #expect(estimate.ciLow < estimate.mean && estimate.mean < estimate.ciHigh)
        // Stratum b has sd 0.3/√10 ≈ 0.095 of its mean → ≈ 0.047 of the average; a adds ≈ 0.015.
        #expect(estimate.halfWidth > 0.06 && estimate.halfWidth < 0.13)
    }

    @Test func generatorDrawsEveryIndexUniformly() {
        var generator = SplitMix64(seed: 3)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[generator.index(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test func numpyLinearPercentile() {
        let sorted: [Double] = [1, 2, 3, 4]
        #expect(Bootstrap.percentile(sorted: sorted, 0) == 1)
        #expect(Bootstrap.percentile(sorted: sorted, 1) == 4)
        #expect(abs(Bootstrap.percentile(sorted: sorted, 0.5) - 2.5) < 1e-12)
        #expect(abs(Bootstrap.percentile(sorted: sorted, 0.025) - 1.075) < 1e-12)
    }
}
