import Testing
@testable import Statistics

struct PairedComparisonTests {
    @Test func pairsBySampleIdAndCountsDirections() throws {
        let baseline = ["a": 1.0, "b": 1.0, "c": 0.0, "d": 0.5, "only-baseline": 1.0]
        let candidate = ["a": 0.0, "b": 1.0, "c": 1.0, "d": 0.0, "only-candidate": 0.0]
        let result = try Paired.compare(candidate: candidate, baseline: baseline)
        #expect(result.n == 4)
        #expect(result.worse == 2 && result.better == 1 && result.equal == 1)
        #expect(abs(result.meanDifference - (-1.0 + 0 + 1 - 0.5) / 4) < 1e-12)
        #expect(abs(result.baselineMean - 0.625) < 1e-12)
        #expect(abs(result.candidateMean - 0.5) < 1e-12)
        #expect(result.ciLow <= result.meanDifference && result.meanDifference <= result.ciHigh)
    }

    @Test func consistentLossExcludesZero() throws {
        var baseline: [String: Double] = [:]
        var candidate: [String: Double] = [:]
        for i in 0..<60 {
            baseline["s\(i)"] = 1
            candidate["s\(i)"] = i % 3 == 0 ? 1 : 0
        }
        let result = try Paired.compare(candidate: candidate, baseline: baseline)
        #expect(result.ciHigh < 0)
        #expect(result.worse == 40 && result.equal == 20)
    }

    @Test func identicalSidesGiveAZeroInterval() throws {
        let scores = ["x": 0.3, "y": 0.9]
        let result = try Paired.compare(candidate: scores, baseline: scores)
        #expect(result.meanDifference == 0 && result.ciLow == 0 && result.ciHigh == 0 && result.equal == 2)
    }

    @Test func disjointSidesAreAnError() {
        #expect(throws: StatisticsError.noCommonSamples(candidate: 1, baseline: 1)) {
            try Paired.compare(candidate: ["a": 1], baseline: ["b": 1])
        }
    }
}
