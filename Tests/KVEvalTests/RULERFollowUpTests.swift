import Foundation
import KVEngine
@testable import KVEval
import Testing
import Assets

/// `questions: k`: RULER's several-needle niah tasks asked k questions on one haystack. The lead
/// records stay RULER's own (the fixture-checked generation is untouched); each follow-up asks
/// about another needle of the same haystack in RULER's template.
struct RULERFollowUpTests {
    static var hasAssets: Bool { RULERTests.hasAssets }
    static var hasEssays: Bool { RULERTests.hasEssays }

    func check(task: String, questions k: Int, essays: RULEREssayHaystack? = nil) throws {
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        let lists = try RULERWordLists()
        let plain = try RULERTasks.generate(task: task, maxSeqLength: 1024, numSamples: 3, tokenizer: tok, wordLists: lists, essays: essays)
        let asked = try RULERTasks.generate(task: task, maxSeqLength: 1024, numSamples: 3, tokenizer: tok, wordLists: lists,
                                            essays: essays, questions: k)
        #expect(asked.count == plain.count * k)
        for (i, lead) in plain.enumerated() {
            let group = Array(asked[(i * k)..<((i + 1) * k)])
            #expect(group[0] == lead, "\(task) #\(i): the lead is RULER's record")
            let leadSplit = try RULERPrompt.questionStart(record: lead, task: task, tokenizer: tok, chatTemplate: true)
            let leadIDs = RULERPrompt.ids(record: lead, tokenizer: tok, chatTemplate: true)
            var keys: Set<String> = []
            for (j, f) in group.dropFirst().enumerated() {
                let label = "\(task) #\(i) q\(j + 2)"
                #expect(f.id == "\(lead.id)-q\(j + 2)" && f.questionIndex == j + 2 && f.dataset == lead.dataset, "\(label)")
                #expect(f.leadContext == lead.context && f.leadInput == lead.input, "\(label): names its lead")
                // The same haystack, token for token, up to where the question starts.
                let split = try RULERPrompt.questionStart(record: f, task: task, tokenizer: tok, chatTemplate: true)
                #expect(split == leadSplit, "\(label): question start")
                #expect(Array(RULERPrompt.ids(record: f, tokenizer: tok, chatTemplate: true)[..<split]) == Array(leadIDs[..<split]), "\(label)")
                // Asked about another key, answered by that needle's value, which the haystack holds.
                let kind = task == "niah_multikey_3" ? "uuid" : "number"
                let head = "What is the special magic \(kind) for ", tail = " mentioned in the provided text?"
                let asked = try #require(f.context.range(of: head, options: .backwards), "\(label): singular question")
                let question = String(f.context[asked.upperBound...].dropLast(tail.count))
                #expect(!question.isEmpty && !lead.input.contains(" for \(question) mentioned"), "\(label): another key than the lead's")
                #expect(keys.insert(question).inserted, "\(label): a key not asked before")
                #expect(f.answers.count == 1)
                let needle = "One of the special magic \(kind)s for \(question) is: \(f.answers[0])."
                #expect(lead.context.contains(needle) && f.context.contains(needle), "\(label): \(needle.debugDescription) in the haystack")
                #expect(f.context.hasSuffix("\(head)\(question) mentioned in the provided text?"), "\(label)")
            }
        }
    }

    @Test(.enabled(if: hasAssets, "needs the default model and RULER's word lists (scripts/fetch-assets)"))
    func needleHaystackTasksAskOtherNeedles() throws {
        try check(task: "niah_multikey_2", questions: 4)
        try check(task: "niah_multikey_3", questions: 2)
    }

    @Test(.enabled(if: hasAssets && hasEssays, "needs the default model, RULER's word lists and RULER's data (scripts/fetch-assets)"))
    func essayTaskAsksItsOtherKeys() throws {
        let essays = try RULEREssayHaystack()
        try check(task: "niah_multikey_1", questions: 4, essays: essays)
        // Four needles: a fifth question has no key left to ask about.
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        #expect(throws: RULERError.self) {
            try RULERTasks.generate(task: "niah_multikey_1", maxSeqLength: 1024, numSamples: 1, tokenizer: tok,
                                    wordLists: try RULERWordLists(), essays: essays, questions: 5)
        }
    }

    @Test(.enabled(if: hasAssets, "needs the default model and RULER's word lists (scripts/fetch-assets)"))
    func singleNeedleTasksRefuseSeveralQuestions() throws {
        let tok = try EngineTokenizer(modelPath: DefaultAssets.modelPath)
        let lists = try RULERWordLists()
        for (task, k) in [("niah_single_1", 2), ("vt", 3), ("niah_multikey_2", 0)] {
            do {
                _ = try RULERTasks.generate(task: task, maxSeqLength: 1024, numSamples: 1, tokenizer: tok, wordLists: lists, questions: k)
                Issue.record("\(task) with questions \(k) was accepted")
            } catch {
                guard case .invalidArgument(let t, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(t == task && reason.contains("questions"), "\(reason)")
            }
        }
    }
}
