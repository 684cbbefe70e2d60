import FleetCore
import Foundation
import KVEngine
@testable import KVEval
import Testing
import Assets

/// RULER's synthetic tasks and metrics against RULER's own Python (tools/gen_ruler_fixtures.py →
/// Fixtures/ruler/tasks.json and metric.json). Generation needs the default model and the
/// wonderwords lists (scripts/fetch-assets).
struct RULERTests {
    struct TaskFixture: Decodable {
        struct Sample: Decodable {
            let input_sha256: String, input_chars: Int, input_head: String, input_tail: String
            let answer_prefix: String, outputs: [String], length: Int
        }
        struct Run: Decodable { let task: String, max_seq_length: Int, num_samples: Int, seed: Int, essay: Bool, samples: [Sample] }
        let ruler_commit: String
        let runs: [Run]
    }
    struct MetricFixture: Decodable {
        struct Case: Decodable {
            let prediction: String, references: [String], postprocessed: String
            let string_match_all: Double, string_match_part: Double
        }
        struct Batch: Decodable { let indices: [Int], string_match_all: Double, string_match_part: Double }
        let cases: [Case]
        let batches: [Batch]
    }

    static var hasAssets: Bool {
        FileManager.default.fileExists(atPath: DefaultAssets.modelPath) && RULERWordLists.isFetched
    }

    static func sha256(_ s: String) -> String { ContentHash.sha256Hex(Array(s.utf8)) }

    // MARK: metric (no assets needed)

    @Test func metricMatchesRULER() throws {
        let fx = try FixtureLoader.decode(MetricFixture.self, "ruler/metric.json")
        #expect(fx.cases.count >= 200)
        for (i, c) in fx.cases.enumerated() {
            #expect(RULERMetric.postprocess(c.prediction) == c.postprocessed, "postprocess case \(i) \(c.prediction.debugDescription)")
            let all = try RULERMetric.score(task: "niah_single_1", prediction: c.prediction, references: c.references)
            let part = try RULERMetric.score(task: "qa_1", prediction: c.prediction, references: c.references)
            #expect(RULERMetric.taskScore([all]) == c.string_match_all, "string_match_all case \(i) \(c.prediction.debugDescription) \(c.references)")
            #expect(RULERMetric.taskScore([part]) == c.string_match_part, "string_match_part case \(i) \(c.prediction.debugDescription) \(c.references)")
        }
        for b in fx.batches {
            let all = b.indices.map { RULERMetric.score(kind: .stringMatchAll, prediction: fx.cases[$0].prediction, references: fx.cases[$0].references) }
            let part = b.indices.map { RULERMetric.score(kind: .stringMatchPart, prediction: fx.cases[$0].prediction, references: fx.cases[$0].references) }
            #expect(RULERMetric.taskScore(all) == b.string_match_all)
            #expect(RULERMetric.taskScore(part) == b.string_match_part)
        }
    }

    @Test func metricKinds() throws {
        #expect(try RULERMetric.kind(task: "vt") == .stringMatchAll)
        #expect(try RULERMetric.kind(task: "ruler_cwe") == .stringMatchAll)
        #expect(try RULERMetric.kind(task: "qa_2") == .stringMatchPart)
        #expect(throws: RULERError.self) { try RULERMetric.kind(task: "nope") }
    }

    // MARK: text helpers and word lists (no assets needed)

    @Test func pythonStringHelpers() {
        #expect(RULERText.format("a {x} {{y}} {z}", ["x": "{z}", "z": "2"]) == "a {z} {y} 2")
        #expect(RULERText.replace("VAR ABC = VAR ABCABC", "ABC", "Q") == "VAR Q = VAR QQ")
        #expect(RULERText.splitAtLast("x Answer: A y Answer: B", " Answer: ") == ("x Answer: A y", " Answer: B"))
        #expect(pyFloorDiv(7, 2) == 3 && pyFloorDiv(1024, 3.5) == 292)
        #expect(RULERWordLists.readlinesRstripped("a \r\nb\rc\n\nd") == ["a", "b", "c", "", "d"])
    }

    @Test func keyWordsAreSortedUniquePairs() {
        let adjs = ["well", "big", "well-to-do", "b", "big", "well-"]
        let nouns = ["cat", "to-do-cat", "Apple", "cat", "é"]
        let kw = RULERKeyWords(adjectives: adjs, nouns: nouns)
        let brute = RULERText.sortedUnique(adjs.flatMap { a in nouns.map { a + "-" + $0 } })
        #expect(kw.count == brute.count)
        #expect((0..<kw.count).map { kw[$0] } == brute)
    }

    @Test func essaySplitting() {
        #expect(RULEREssayHaystack.sentences("A b. C?  D!x e.f. G") == ["A b.", "C?", "D!x e.f.", "G"])
        #expect(RULEREssayHaystack(text: " a\n\tb  c ").words == ["", "a", "b", "c", ""])
    }

    @Test func sha256Vector() {
        #expect(Self.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func uuidFormat() {
        // uuid.UUID(int=0x0123456789abcdef_fedcba9876543210, version=4)
        #expect(RULERNiah.uuid4([0x7654_3210, 0xfedc_ba98, 0x89ab_cdef, 0x0123_4567]) == "01234567-89ab-4def-bedc-ba9876543210")
    }

    // MARK: generation (model + word lists)

    static var hasHaystack: Bool { FileManager.default.fileExists(atPath: RULEREssayHaystack.defaultDirectory) }

    /// niah_single_1, niah_multikey_2/3, vt, cwe: exact RULER.
    @Test(.enabled(if: hasAssets, "needs the default model and RULER's word lists (scripts/fetch-assets)"))
    func tasksMatchRULER() throws {
        #expect(try check(essay: false) >= 200)
    }

    /// The essay-haystack niah tasks: RULER's niah.py with the documented text and sentence
    /// splitter substitutions (RULEREssayHaystack).
    @Test(.enabled(if: hasAssets && hasHaystack, "needs the default model, RULER's word lists and the haystack (scripts/fetch-assets)"))
    func essayTasksMatchRULERProcedure() throws {
        #expect(try check(essay: true) >= 40)
    }

    func check(essay: Bool) throws -> Int {
        let fx = try FixtureLoader.decode(TaskFixture.self, "ruler/tasks.json")
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        let lists = try RULERWordLists()
        let essays = essay ? try RULEREssayHaystack() : nil
        var checked = 0
        for run in fx.runs where run.essay == essay {
            let label = "\(run.task) max_seq_length \(run.max_seq_length)"
            let recs = try RULERTasks.generate(task: run.task, maxSeqLength: run.max_seq_length, numSamples: run.num_samples,
                                               seed: run.seed, tokenizer: tok, wordLists: lists, essays: essays)
            try #require(recs.count == run.samples.count, "\(label): sample count")
            for (i, (r, want)) in zip(recs, run.samples).enumerated() {
                #expect(r.dataset == "ruler_" + run.task && r.id == "\(run.task)-\(i)")
                #expect(r.answers == want.outputs, "\(label) #\(i): outputs")
                #expect(r.input == want.answer_prefix, "\(label) #\(i): answer_prefix")
                #expect(r.length == want.length, "\(label) #\(i): length")
                let sc = Array(r.context.unicodeScalars)
                #expect(sc.count == want.input_chars, "\(label) #\(i): input length in code points")
                #expect(PyText.string(Array(sc.prefix(200))) == want.input_head, "\(label) #\(i): input head")
                #expect(PyText.string(Array(sc.suffix(200))) == want.input_tail, "\(label) #\(i): input tail")
                #expect(Self.sha256(r.context) == want.input_sha256, "\(label) #\(i): input sha256")
                checked += 1
            }
        }
        return checked
    }

    @Test(.enabled(if: hasAssets, "needs the default model and RULER's word lists (scripts/fetch-assets)"))
    func unknownTaskThrows() throws {
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        let lists = try RULERWordLists()
        #expect(throws: RULERError.unknownTask("fwe")) {
            try RULERTasks.generate(task: "fwe", maxSeqLength: 1024, numSamples: 1, tokenizer: tok, wordLists: lists)
        }
        #expect(throws: RULERError.self) {
            try RULERTasks.generate(task: "niah_single_2", maxSeqLength: 1024, numSamples: 1, tokenizer: tok, wordLists: lists)
        }
    }
}
