import Foundation
import KVEngine
@testable import KVEval
import Testing

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

    static func sha256(_ s: String) -> String { TestSHA256.hex(Array(s.utf8)) }

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

/// FIPS 180-4 SHA-256 (KVEvalTests has no crypto dependency).
enum TestSHA256 {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]

    static func hex(_ message: [UInt8]) -> String {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var m = message
        let bitLength = UInt64(message.count) * 8
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for i in (0..<8).reversed() { m.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: m.count, by: 64) {
            for t in 0..<16 {
                let b = chunk + 4 * t
                w[t] = UInt32(m[b]) << 24 | UInt32(m[b + 1]) << 16 | UInt32(m[b + 2]) << 8 | UInt32(m[b + 3])
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d
            h[4] = h[4] &+ e; h[5] = h[5] &+ f; h[6] = h[6] &+ g; h[7] = h[7] &+ hh
        }
        return h.map { v in
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 8 - s.count) + s
        }.joined()
    }
}
