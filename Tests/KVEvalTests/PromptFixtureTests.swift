import TaskSpec
import Foundation
import KVEngine
import KVEval
import Testing
import TestSupport
import Assets

/// Prompt token ids against tools/gen_prompt_fixtures.py (pred.py / run_longbench.py /
/// run_needle_in_haystack.py re-implemented in Python with HF `tokenizers` built from the GGUF).
/// Needs the default model and, for the needle cells, the haystack (scripts/fetch-assets).
struct PromptFixtureTests {
    struct Fixtures: Decodable {
        struct Record: Decodable {
            let input: String, context: String, answers: [String], length: Int, dataset: String
            let language: String, all_classes: [String]?, _id: String
        }
        struct LB: Decodable {
            let record: Record
            let preset: String
            let max_length: Int
            let text: String
            let ids: [Int32]
            let untruncated_length: Int
            let truncated: Bool
            let chat_template_applied: Bool
            let max_new_tokens: Int
            let newline_stop_id: Int32?
        }
        struct Needle: Decodable {
            let length: Int, depth: Int, needle_span: [Int], insertion_point: Int
            let n_ids: Int, ids_fnv1a64: String, head_ids: [Int32], tail_ids: [Int32]
        }
        let haystack_files: [String]
        let linspace10: [Int]
        let longbench: [LB]
        let needle: [Needle]
        let needle_chat: [Needle]
    }

    static let modelPath = DefaultAssets.modelPath

    func load() throws -> Fixtures { try FixtureLoader.decode(Fixtures.self, "prompt_fixtures.json") }

    @Test func gridDepthsMatchNumpy() throws {
        #expect(NeedleGrid.linspaceDepths(10) == (try load()).linspace10)
    }

    /// The full tier has the assets (`make test-full` fetches them): a missing one fails the
    /// test naming it and the fix, never a silent skip.
    static func requireAssets(haystack: Bool) throws {
        try Prerequisites.require(file: modelPath, what: "the default model", fix: "run scripts/fetch-assets (make assets)")
        if haystack {
            try Prerequisites.require(file: DefaultAssets.haystackDirectory, what: "the needle haystack",
                                      fix: "run scripts/fetch-assets (make assets)")
        }
    }

    @Test func longBenchPromptIDsMatch() throws {
        try Self.requireAssets(haystack: false)
        let fx = try load()
        let tok = try EngineTokenizer(modelPath: Self.modelPath)
        let config = try LongBenchConfig.bundled()
        var truncated = 0
        for c in fx.longbench {
            let preset = try #require(LongBenchProtocol.Preset(rawValue: c.preset))
            let b = LongBenchPromptBuilder(config: config, protocol: .init(preset: preset, maxLength: c.max_length))
            let r = c.record
            let p = try b.build(LongBenchRecord(input: r.input, context: r.context, answers: r.answers, length: r.length,
                                                dataset: r.dataset, language: r.language, allClasses: r.all_classes, id: r._id),
                                tokenizer: tok)
            let label = "\(r._id) \(c.preset)"
            #expect(p.untruncatedLength == c.untruncated_length, "\(label)")
            #expect(p.truncated == c.truncated && p.chatTemplateApplied == c.chat_template_applied, "\(label)")
            #expect(Array(p.text.unicodeScalars) == Array(c.text.unicodeScalars), "\(label)")
            #expect(p.ids == c.ids, "\(label)")
            #expect(p.maxNewTokens == c.max_new_tokens, "\(label)")
            if let nl = c.newline_stop_id { #expect(p.stopIDs.contains(nl), "\(label)") }
            if c.truncated { truncated += 1 }
        }
        #expect(fx.longbench.count >= 80 && truncated >= 8)
    }

    /// FNV-1a 64 of the comma-joined decimal ids, as the generator computes it.
    static func fnv1a64(_ ids: [Int32]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in ids.map(String.init).joined(separator: ",").utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(format: "%016llx", h)
    }

    @Test func needlePromptIDsMatch() throws {
        try Self.requireAssets(haystack: true)
        let fx = try load()
        try checkNeedleCells(fx.needle, protocol: .kvcacheFactory, haystackFiles: fx.haystack_files)
    }

    /// The `chat` protocol against tools/gen_prompt_fixtures.py's chat_cell (HF chat template via jinja2).
    @Test func chatNeedlePromptIDsMatch() throws {
        try Self.requireAssets(haystack: true)
        let fx = try load()
        try checkNeedleCells(fx.needle_chat, protocol: .chat, haystackFiles: fx.haystack_files)
    }

    /// Issue 12 §5: the template in the job key is the one used (and a template without
    /// {context} is refused, naming it).
    @Test func customNeedleTemplateIsUsed() throws {
        try Self.requireAssets(haystack: true)
        let tok = try EngineTokenizer(modelPath: Self.modelPath)
        let hay = try NeedleHaystack(directory: DefaultAssets.haystackDirectory, minTokens: 1000, tokenizer: tok)
        let custom = NeedlePromptBuilder(tokenizer: tok, haystack: hay, question: "Where?",
                                         template: "STORY START {context} STORY END. Q: {question}")
        let text = tok.decodeSkippingSpecial(try custom.build(length: 1000, depth: 50).ids)
        #expect(text.hasPrefix("STORY START ") && text.hasSuffix(" STORY END. Q: Where?"))
        let broken = NeedlePromptBuilder(tokenizer: tok, haystack: hay, template: "no slot {question}")
        #expect(throws: PromptError.needleTemplateWithoutContext(template: "no slot {question}")) {
            try broken.build(length: 1000, depth: 50)
        }
    }

    func checkNeedleCells(_ cells: [Fixtures.Needle], protocol promptProtocol: NeedleProtocol,
                          haystackFiles: [String]) throws {
        let tok = try EngineTokenizer(modelPath: Self.modelPath)
        let maxLength = cells.map(\.length).max()!
        let hay = try NeedleHaystack(directory: DefaultAssets.haystackDirectory, minTokens: maxLength, tokenizer: tok)
        #expect(hay.files == haystackFiles)
        let builder = NeedlePromptBuilder(tokenizer: tok, haystack: hay, protocol: promptProtocol)
        #expect(cells.count == 16)
        for cell in cells {
            let p = try builder.build(length: cell.length, depth: cell.depth)
            let label = "\(promptProtocol.rawValue) length \(cell.length) depth \(cell.depth)"
            #expect(p.ids.count == cell.n_ids, "\(label)")
            #expect(Array(p.ids.prefix(8)) == cell.head_ids && Array(p.ids.suffix(20)) == cell.tail_ids, "\(label)")
            #expect(Self.fnv1a64(p.ids) == cell.ids_fnv1a64, "\(label)")
            #expect(p.needleSpan == cell.needle_span && p.insertionPoint == cell.insertion_point, "\(label)")
            let needleText = tok.decodeSkippingSpecial(Array(p.ids[p.needleSpan[0]..<p.needleSpan[1]]))
            #expect(needleText.contains("The best thing to do in San Francisco is eat a sandwich"), "\(label)")
        }
    }
}
