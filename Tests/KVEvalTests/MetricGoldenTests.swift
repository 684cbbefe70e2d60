import Foundation
import KVEval
import Testing

/// Agreement with LongBench's Python metrics on the cases in Fixtures/metric_goldens.json
/// (made by tools/gen_metric_goldens.py).
struct MetricGoldenTests {
    struct Case: Decodable {
        let tag: String
        let dataset: String
        let prediction: String
        let answers: [String]
        let all_classes: [String]?
        let score: Double?
        let error: String?
    }
    struct DatasetGroup: Decodable {
        let dataset: String
        let cases: [Int]
        let score: Double
    }
    struct BucketGroup: Decodable {
        let dataset: String
        let cases: [Int]
        let lengths: [Int]
        let scores: [String: Double?]
    }
    struct NumpyMean: Decodable {
        let values: [Double]
        let sum: Double
        let bucket: Double
    }
    struct Goldens: Decodable {
        let recursion_budget: Int
        let cases: [Case]
        let datasets: [DatasetGroup]
        let buckets: [BucketGroup]
        let round2: [[Double]]
        let numpy_means: [NumpyMean]
        let jieba_cuts: [[JiebaCut]]
    }
    enum JiebaCut: Decodable {
        case text(String), tokens([String])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .text(s) } else { self = .tokens(try c.decode([String].self)) }
        }
    }

    static let zhMetrics: Set<LongBenchMetric> = [.qaF1Zh, .rougeZh]

    /// Chinese datasets are checked only once jieba is ported (they throw until then).
    func scorable(_ dataset: String) throws -> Bool {
        if JiebaAvailability.isAvailable { return true }
        return !Self.zhMetrics.contains(try LongBenchDatasets.metric(for: dataset))
    }

    func load() throws -> Goldens { try FixtureLoader.decode(Goldens.self, "metric_goldens.json") }

    func swiftScore(_ c: Case) -> Result<Double, MetricError> {
        Result { () throws(MetricError) -> Double in
            try LongBenchDatasets.sampleScore(dataset: c.dataset, prediction: c.prediction,
                                              answers: c.answers, allClasses: c.all_classes)
        }
    }

    @Test func goldenCasesCoverEveryMetric() throws {
        let g = try load()
        #expect(g.cases.count >= 2000)
        let metrics = Set(try g.cases.map { try LongBenchDatasets.metric(for: $0.dataset) })
        #expect(metrics == Set(LongBenchMetric.allCases))
        #expect(g.recursion_budget == RougeL.recursionBudget)
    }

    @Test func everySampleScoreAgrees() throws {
        let g = try load()
        var checked = 0, exact = 0
        for (i, c) in g.cases.enumerated() {
            let metric = try LongBenchDatasets.metric(for: c.dataset)
            let result = swiftScore(c)
            if Self.zhMetrics.contains(metric) && !JiebaAvailability.isAvailable {
                guard case .failure(.requiresJieba) = result else { Issue.record("case \(i): expected requiresJieba"); continue }
                continue
            }
            if let err = c.error {
                #expect(err == "IndexError", "case \(i)")
                guard case .failure(.noParagraphID) = result else {
                    Issue.record("case \(i) [\(c.tag)] Python raised \(err), Swift gave \(result)")
                    continue
                }
                checked += 1
                continue
            }
            guard let expected = c.score else { Issue.record("case \(i) has neither score nor error"); continue }
            switch result {
            case .success(let s):
                if s == expected { exact += 1 }
                #expect(abs(s - expected) <= 1e-9,
                        "case \(i) [\(c.tag)] \(c.dataset) pred=\(c.prediction.debugDescription.prefix(200)) answers=\(c.answers.map { String($0.prefix(80)) }): swift \(s) python \(expected)")
            case .failure(let e):
                Issue.record("case \(i) [\(c.tag)] threw \(e), python \(expected)")
            }
            checked += 1
        }
        #expect(checked > (JiebaAvailability.isAvailable ? 2100 : 1500))
        #expect(exact == checked - g.cases.filter { $0.error != nil }.count)
    }

    @Test func datasetScoresAgree() throws {
        let g = try load()
        for group in g.datasets where try scorable(group.dataset) {
            let scores = try group.cases.map { i -> Double in
                let c = g.cases[i]
                return try swiftScore(c).get()
            }
            #expect(PyRound.datasetScore(scores) == group.score, "\(group.dataset) \(group.cases.prefix(3))")
        }
    }

    @Test func longBenchEBucketsAgree() throws {
        let g = try load()
        for group in g.buckets where try scorable(group.dataset) {
            var scored: [(Double, Int)] = []
            for (k, i) in group.cases.enumerated() {
                scored.append((try swiftScore(g.cases[i]).get(), group.lengths[k]))
            }
            let buckets = LongBenchEBuckets.scores(scored)
            for (name, expected) in group.scores {
                let got = buckets[name]
                if let expected {
                    #expect(got == expected, "\(group.dataset) \(name)")
                } else {
                    #expect(got?.isNaN == true, "\(group.dataset) \(name) should be NaN (empty bucket)")
                }
            }
        }
    }

    @Test func pythonRoundTwoDigits() throws {
        let g = try load()
        #expect(g.round2.count > 500)
        for pair in g.round2 {
            #expect(PyRound.round2(pair[0]) == pair[1], "round(\(pair[0]), 2)")
        }
    }

    @Test(.enabled(if: JiebaAvailability.isAvailable, "needs jieba data: tools/fetch_jieba.py"))
    func jiebaCutAgrees() throws {
        let g = try load()
        let jieba = try Jieba.shared.get()
        #expect(g.jieba_cuts.count > 300)
        for pair in g.jieba_cuts {
            guard case .text(let text) = pair[0], case .tokens(let tokens) = pair[1] else { Issue.record("bad fixture"); continue }
            // Compare code points (Swift String equality would merge "\r\n" and canonical equivalents).
            #expect(jieba.cut(text).map { Array($0.unicodeScalars) } == tokens.map { Array($0.unicodeScalars) }, "\(text.debugDescription)")
        }
    }

    @Test func missingJiebaDataIsATypedError() {
        #expect(throws: JiebaError.dataMissing(directory: "/nonexistent-jieba")) { try Jieba(directory: "/nonexistent-jieba") }
    }

    @Test func numpyPairwiseMean() throws {
        let g = try load()
        for m in g.numpy_means {
            #expect(PyRound.numpySum(m.values[...]) == m.sum, "n=\(m.values.count)")
            #expect(PyRound.bucketScore(m.values) == m.bucket, "n=\(m.values.count)")
        }
    }
}
