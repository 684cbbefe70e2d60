import FleetCore
import Foundation
import KVEngine
@testable import KVEval
import Testing
import Assets

/// RULER's 13 synthetic tasks and its metrics against the scripts of `nvidia-long-context-eval==26.3`
/// (tools/gen_ruler_fixtures.py → Fixtures/ruler/tasks.json and metric.json): every record's
/// whole prompt byte for byte (sha256, code-point count, first and last 200 code points), its
/// outputs and length. Generation needs the default model, the wonderwords lists and RULER's
/// data (scripts/fetch-assets).
struct RULERTests {
    struct TaskFixture: Decodable {
        struct Sample: Decodable {
            let input_sha256: String, input_chars: Int, input_head: String, input_tail: String
            let outputs: [String], length: Int
        }
        struct Run: Decodable { let task: String, max_seq_length: Int, num_samples: Int, seed: Int, samples: [Sample] }
        let source: String
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
        #expect(try RULERMetric.kind(task: "ruler_fwe") == .stringMatchAll)
        #expect(try RULERMetric.kind(task: "qa_1") == .stringMatchPart)
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

    @Test func pythonRepr() {
        // Python's repr() of each string (and of a list)
        let cases: [(String, String)] = [
            ("France", "'France'"), ("it's", "\"it's\""), ("say \"hi\"", "'say \"hi\"'"), ("both ' and \"", "'both \\' and \"'"),
            ("tab\tnl\ncr\r", "'tab\\tnl\\ncr\\r'"), ("back\\slash", "'back\\\\slash'"), ("\u{0}\u{1f}\u{7f}", "'\\x00\\x1f\\x7f'"),
            ("café", "'café'"), ("\u{a0}nbsp", "'\\xa0nbsp'"), ("\u{2028}", "'\\u2028'"), ("\u{200b}", "'\\u200b'"),
            ("naïve — “quote”", "'naïve — “quote”'"), ("\u{1F600}", "'\u{1F600}'"), ("\u{e000}", "'\\ue000'"), ("\u{e0001}", "'\\U000e0001'"),
        ]
        for (s, want) in cases { #expect(PyRepr.str(s) == want, "repr(\(s.debugDescription))") }
        #expect(PyRepr.list(["ABCDE", "FGH"]) == "['ABCDE', 'FGH']" && PyRepr.list([]) == "[]")
    }

    @Test func registry() throws {
        #expect(RULERTasks.names.count == 13 && Set(RULERTasks.names).count == 13)
        let tokens = try RULERTasks.names.map { try RULERPrompt.maxNewTokens(task: $0) }
        #expect(tokens == [128, 128, 128, 128, 128, 128, 128, 128, 30, 120, 50, 32, 32])
        #expect(try RULERTasks.names.map { try RULERMetric.kind(task: $0) }
                == Array(repeating: .stringMatchAll, count: 11) + [.stringMatchPart, .stringMatchPart])
        #expect(throws: RULERError.unknownTask("qa_3")) { try RULERTasks.family(of: "qa_3") }
    }

    /// The fixtures cover every task with at least 200 records (no assets needed).
    @Test func fixturesCoverEveryTask() throws {
        let fx = try FixtureLoader.decode(TaskFixture.self, "ruler/tasks.json")
        #expect(fx.source == "nvidia-long-context-eval==26.3")
        #expect(Set(fx.runs.map(\.task)) == Set(RULERTasks.names))
        #expect(fx.runs.reduce(0) { $0 + $1.samples.count } >= 200)
        for run in fx.runs { #expect(run.samples.count == run.num_samples, "\(run.task) \(run.max_seq_length)") }
    }

    @Test func sha256Vector() {
        #expect(Self.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func uuidFormat() {
        // uuid.UUID(int=0x0123456789abcdef_fedcba9876543210, version=4)
        #expect(RULERNiah.uuid4([0x7654_3210, 0xfedc_ba98, 0x89ab_cdef, 0x0123_4567]) == "01234567-89ab-4def-bedc-ba9876543210")
    }

    // MARK: generation (model, word lists, RULER's data)

    static var hasEssays: Bool { FileManager.default.fileExists(atPath: RULEREssayHaystack.defaultPath) }
    static var hasQA: Bool {
        [RULERQAData.Dataset.squad, .hotpotqa].allSatisfy { FileManager.default.fileExists(atPath: RULERQAData.defaultPath($0)) }
    }

    /// niah_single_1, niah_multikey_2/3, vt, cwe, fwe.
    @Test(.enabled(if: hasAssets, "needs the default model and RULER's word lists (scripts/fetch-assets)"))
    func tasksMatchRULER() throws {
        #expect(try check { !RULERTasks.essayNames.contains($0) && RULERTasks.qaDatasets[$0] == nil } >= 150)
    }

    /// The essay-haystack niah tasks on RULER's PaulGrahamEssays.json (with the documented
    /// sentence splitter, which the fixtures' run of niah.py uses too).
    @Test(.enabled(if: hasAssets && hasEssays, "needs the default model, RULER's word lists and RULER's data (scripts/fetch-assets)"))
    func essayTasksMatchRULER() throws {
        #expect(try check(essays: try RULEREssayHaystack()) { RULERTasks.essayNames.contains($0) } >= 40)
    }

    /// qa_1 (SQuAD) and qa_2 (HotpotQA).
    @Test(.enabled(if: hasAssets && hasQA, "needs the default model, RULER's word lists and RULER's data (scripts/fetch-assets)"))
    func qaTasksMatchRULER() throws {
        let squad = try RULERQAData(dataset: .squad), hotpot = try RULERQAData(dataset: .hotpotqa)
        #expect(try check(qa: ["qa_1": squad, "qa_2": hotpot]) { RULERTasks.qaDatasets[$0] != nil } >= 30)
        // At 1024 ten SQuAD documents do not fit: RULER's qa.py retries forever, the port gives up.
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        #expect(throws: RULERError.cannotFit(task: "qa_1", maxSeqLength: 1024, haystack: 0, length: 0)) {
            try RULERTasks.generate(task: "qa_1", maxSeqLength: 1024, numSamples: 1, tokenizer: tok,
                                    wordLists: RULERWordLists(nouns: ["n"], adjectives: ["a"], verbs: ["v"]), qa: squad)
        }
        #expect(throws: RULERError.self) {
            try RULERTasks.generate(task: "qa_2", maxSeqLength: 4096, numSamples: 1, tokenizer: tok,
                                    wordLists: RULERWordLists(nouns: ["n"], adjectives: ["a"], verbs: ["v"]), qa: squad)
        }
    }

    /// Generates every fixture run of the tasks `include` picks and compares it record by record;
    /// the number of records checked.
    func check(essays: RULEREssayHaystack? = nil, qa: [String: RULERQAData] = [:], include: (String) -> Bool) throws -> Int {
        let fx = try FixtureLoader.decode(TaskFixture.self, "ruler/tasks.json")
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        let lists = try RULERWordLists()
        var checked = 0
        for run in fx.runs where include(run.task) {
            let label = "\(run.task) max_seq_length \(run.max_seq_length)"
            let recs = try RULERTasks.generate(task: run.task, maxSeqLength: run.max_seq_length, numSamples: run.num_samples,
                                               seed: run.seed, tokenizer: tok, wordLists: lists, essays: essays, qa: qa[run.task])
            try #require(recs.count == run.samples.count, "\(label): sample count")
            let marker = try #require(RULERTemplates.task(family: try RULERTasks.family(of: run.task))).answerPrefixMarker
            for (i, (r, want)) in zip(recs, run.samples).enumerated() {
                #expect(r.dataset == "ruler_" + run.task && r.id == "\(run.task)-\(i)")
                #expect(r.answers == want.outputs, "\(label) #\(i): outputs")
                #expect(r.length == want.length, "\(label) #\(i): length")
                #expect(r.input.hasPrefix(marker), "\(label) #\(i): the answer prefix split")
                let prompt = r.context + r.input
                let sc = Array(prompt.unicodeScalars)
                #expect(sc.count == want.input_chars, "\(label) #\(i): input length in code points")
                #expect(PyText.string(Array(sc.prefix(200))) == want.input_head, "\(label) #\(i): input head")
                #expect(PyText.string(Array(sc.suffix(200))) == want.input_tail, "\(label) #\(i): input tail")
                #expect(Self.sha256(prompt) == want.input_sha256, "\(label) #\(i): input sha256")
                try checkQuestionSplit(r, task: run.task, tokenizer: tok, label: "\(label) #\(i)")
                checked += 1
            }
        }
        return checked
    }

    /// `question: after-compression` splits the chat prompt where the task's question starts: the
    /// tokens before it hold the instruction and the haystack, the ones after it the question and
    /// nothing else of the haystack (RULER's questions are < 120 tokens).
    func checkQuestionSplit(_ r: LongBenchRecord, task: String, tokenizer tok: EngineTokenizer, label: String) throws {
        let ids = RULERPrompt.ids(record: r, tokenizer: tok, chatTemplate: true)
        let split = try RULERPrompt.questionStart(record: r, task: task, tokenizer: tok, chatTemplate: true)
        let template = try #require(RULERTemplates.task(family: try RULERTasks.family(of: task)))
        let markers = template.questionMarkers, marker = template.questionMarker
        #expect(split > ids.count / 2 && ids.count - split < 120, "\(label): question split at \(split) of \(ids.count)")
        let head = tok.decodeSkippingSpecial(Array(ids[..<split])), tail = tok.decodeSkippingSpecial(Array(ids[split...]))
        // (vt's and cwe's one-shot example asks the question inside the context too: the head may hold
        // that one; the prompt's own question is the tail's start.)
        #expect(!head.isEmpty)
        let question = markers.compactMap { tail.range(of: $0.trimmingCharacters(in: .whitespacesAndNewlines)) }.first
        #expect(question.map { tail.distance(from: tail.startIndex, to: $0.lowerBound) <= 3 } == true,
                "\(label): the uncompressed part starts \(tail.prefix(40).debugDescription)")
        var broken = r
        broken.context = String(r.context.prefix(100))  // the task instruction alone
        #expect(throws: RULERError.noQuestion(task: task, marker: marker)) {
            try RULERPrompt.questionStart(record: broken, task: task, tokenizer: tok, chatTemplate: true)
        }
    }

    @Test(.enabled(if: hasAssets, "needs the default model and RULER's word lists (scripts/fetch-assets)"))
    func unknownTaskThrows() throws {
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        let lists = try RULERWordLists()
        #expect(throws: RULERError.unknownTask("qa_3")) {
            try RULERTasks.generate(task: "qa_3", maxSeqLength: 1024, numSamples: 1, tokenizer: tok, wordLists: lists)
        }
        #expect(throws: RULERError.self) {
            try RULERTasks.generate(task: "niah_single_2", maxSeqLength: 1024, numSamples: 1, tokenizer: tok, wordLists: lists)
        }
        #expect(throws: RULERError.qaDataUnreadable(path: "/nonexistent/squad.json", reason: "cannot read the file")) {
            try RULERQAData(dataset: .squad, path: "/nonexistent/squad.json")
        }
    }
}
