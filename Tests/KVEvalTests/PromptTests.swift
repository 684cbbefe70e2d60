import Foundation
import KVEval
import Testing
import TestSupport

struct PromptTests {
    let tok = FakeTokenizer()

    func record(_ dataset: String, context: String, input: String = "Q?") -> LongBenchRecord {
        LongBenchRecord(input: input, context: context, answers: ["a"], length: 1, dataset: dataset,
                        language: "en", allClasses: nil, id: "r")
    }

    @Test func formatIsSinglePassLikePython() throws {
        let s = try LongBenchPromptBuilder.format("A {context} B {input} {{x}}", fields: ["context": "{input}", "input": "i"], dataset: "d")
        #expect(s == "A {input} B i {x}")
        #expect(throws: PromptError.templateField(dataset: "d", field: "length")) {
            try LongBenchPromptBuilder.format("{length}", fields: [:], dataset: "d")
        }
    }

    @Test func truncationThenChatTemplate() throws {
        let config = try LongBenchConfig.bundled()
        let b = LongBenchPromptBuilder(config: config, protocol: .init(preset: .longbench, maxLength: 40))
        let p = try b.build(record("hotpotqa", context: String(repeating: "x", count: 500)), tokenizer: tok)
        let full = try LongBenchPromptBuilder.format(config.prompt["hotpotqa"]!, fields: ["context": String(repeating: "x", count: 500), "input": "Q?"], dataset: "hotpotqa")
        let fullIDs = tok.encodePlain(full)
        #expect(p.truncated && p.untruncatedLength == fullIDs.count)
        let expectedText = tok.decodeSkippingSpecial(Array(fullIDs[..<20])) + tok.decodeSkippingSpecial(Array(fullIDs[(fullIDs.count - 20)...]))
        #expect(p.text == tok.chat(user: expectedText))
        #expect(p.chatTemplateApplied && p.ids == tok.encodePlain(tok.chat(user: expectedText)))
        #expect(p.maxNewTokens == 32 && p.stopIDs == [FakeTokenizer.imEnd] && p.minNewTokens == 0)

        let roomy = LongBenchPromptBuilder(config: config, protocol: .init(preset: .longbench, maxLength: 4000))
        let short = try roomy.build(record("trec", context: "ctx"), tokenizer: tok)
        #expect(!short.truncated && !short.chatTemplateApplied && short.maxNewTokens == 64)
        #expect(short.text == "Please determine the type of the question below. Here are some examples of questions.\n\nctx\nQ?")

        let samsum = try b.build(record("samsum", context: "c"), tokenizer: tok)
        #expect(samsum.stopIDs == [10, FakeTokenizer.imEnd] && samsum.minNewTokens == 1 && !samsum.chatTemplateApplied)

        let kvcf = LongBenchPromptBuilder(config: config, protocol: .init(preset: .kvcacheFactory, maxLength: 7500))
        let q = try kvcf.build(record("qasper", context: "c"), tokenizer: tok)
        #expect(q.minNewTokens == 1 && q.protocolUsed.preset == .kvcacheFactory && !q.truncated)
        #expect(throws: PromptError.unknownDataset("nope")) { try kvcf.build(record("nope", context: ""), tokenizer: tok) }
    }

    @Test func needleGrid() throws {
        #expect(NeedleGrid.linspaceDepths(10) == [0, 11, 22, 33, 44, 56, 67, 78, 89, 100])
        #expect(try NeedleGrid.parseLengths("1000:8000:100").count == 71)
        #expect(try NeedleGrid.parseLengths("1000, 2000") == [1000, 2000])
        #expect(try NeedleGrid.parseDepths("10") == NeedleGrid.kvCacheFactoryLlama3.depths)
        #expect(try NeedleGrid.parseDepths("0,33,56,100") == [0, 33, 56, 100])
        #expect(throws: NeedleGrid.ParseError.self) { try NeedleGrid.parseLengths("1000:") }
        #expect(throws: NeedleGrid.ParseError.self) { try NeedleGrid.parseDepths("0,101") }
        #expect(NeedleGrid.kvCacheFactoryLlama3.lengths.count * NeedleGrid.kvCacheFactoryLlama3.depths.count == 710)
    }

    @Test func needleScore() {
        #expect(NeedleTexts.expectedWords.count == 11)
        #expect(NeedleTexts.score(response: "eat a sandwich and sit in Dolores Park on a sunny day.") == 1)
        #expect(NeedleTexts.score(response: "Eat a SANDWICH") == 3.0 / 11)
        #expect(NeedleTexts.score(response: "on a sunny day") == 3.0 / 11)  // "day" ≠ "day."
        #expect(NeedleTexts.score(response: "") == 0)
    }

    @Test func needleInsertion() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let sentence = "Essays are short. "
        _ = try dir.write("b.txt", String(repeating: sentence, count: 40))
        _ = try dir.write("a.txt", "First file.\r\nSecond line. ")
        _ = try dir.write("skip.md", "not a haystack file")
        let hay = try NeedleHaystack(directory: dir.url.path, minTokens: 2000, tokenizer: tok)
        #expect(hay.files == ["a.txt", "b.txt"])
        #expect(hay.text.hasPrefix("First file.\nSecond line. Essays"))
        #expect(hay.tokens.count >= 2000)
        let builder = NeedlePromptBuilder(tokenizer: tok, haystack: hay)
        for depth in [0, 33, 56, 100] {
            let p = try builder.build(length: 600, depth: depth)
            let text = tok.decodeSkippingSpecial(p.ids)
            #expect(text.contains(NeedleTexts.needle))
            let span = tok.decodeSkippingSpecial(Array(p.ids[p.needleSpan[0]..<p.needleSpan[1]]))
            #expect(span == NeedleTexts.needle, "depth \(depth)")
            let contextBefore = text.components(separatedBy: NeedleTexts.needle)[0]
            #expect(depth == 100 || contextBefore.hasSuffix(".") || contextBefore.hasSuffix("<book> "), "depth \(depth): \(contextBefore.suffix(30).debugDescription)")
            // haystack budget: 600 − 200 − |needle| tokens of haystack
            #expect(p.ids.count == 400 + NeedleTexts.promptPrefix.count - "<|im_start|>".count + 1 + NeedleTexts.promptSuffix().count)
        }
        let end = try builder.build(length: 600, depth: 100)
        #expect(tok.decodeSkippingSpecial(end.ids).hasSuffix(NeedleTexts.needle + NeedleTexts.promptSuffix()))
    }
}
