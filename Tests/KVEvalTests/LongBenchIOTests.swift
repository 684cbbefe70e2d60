import Foundation
import KVEval
import Testing
import TestSupport

struct LongBenchIOTests {
    static let record = #"{"input": "Q?", "context": "C", "answers": ["A"], "length": 12, "dataset": "hotpotqa", "language": "en", "all_classes": null, "_id": "x1"}"#

    @Test func readsOfficialRecords() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let trec = #"{"input": "What?", "context": "ctx", "answers": ["City"], "length": 4100, "dataset": "trec", "language": "en", "all_classes": ["City", "Country"], "_id": "t1"}"#
        let path = try dir.write("hotpotqa.jsonl", Self.record + "\n" + trec + "\n")
        let records = try LongBenchRecord.read(path: path)
        #expect(records.count == 2)
        #expect(records[0] == LongBenchRecord(input: "Q?", context: "C", answers: ["A"], length: 12, dataset: "hotpotqa",
                                              language: "en", allClasses: nil, id: "x1"))
        #expect(records[1].allClasses == ["City", "Country"])
        let viaDir = try LongBenchRecord.read(directory: dir.url.path, dataset: "hotpotqa")
        #expect(viaDir.count == 2)
    }

    func expectError(_ lines: [String], line: Int, field: String?, _ check: (LongBenchDataError.Reason) -> Bool,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = try dir.write("d.jsonl", lines.joined(separator: "\n") + "\n")
        do {
            _ = try LongBenchRecord.read(path: path)
            Issue.record("expected an error at line \(line)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == path, sourceLocation: sourceLocation)
            #expect(error.line == line, sourceLocation: sourceLocation)
            #expect(error.field == field, sourceLocation: sourceLocation)
            #expect(check(error.reason), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(path + ":\(line)"), sourceLocation: sourceLocation)
        }
    }

    @Test func malformedLinesAreLocated() throws {
        let r = Self.record
        try expectError([r, r.replacingOccurrences(of: #""answers": ["A"], "#, with: "")], line: 2, field: "answers") {
            $0 == .missingField
        }
        try expectError([r, r, r.replacingOccurrences(of: #""length": 12"#, with: #""length": "12""#)], line: 3, field: "length") {
            $0 == .wrongType(expected: "integer", got: "string")
        }
        try expectError([r.replacingOccurrences(of: #""length": 12"#, with: #""length": 1.5"#)], line: 1, field: "length") {
            if case .wrongType = $0 { return true } else { return false }
        }
        try expectError([r.replacingOccurrences(of: #""length": 12"#, with: #""length": true"#)], line: 1, field: "length") {
            $0 == .wrongType(expected: "integer", got: "boolean")
        }
        try expectError([r, "{not json"], line: 2, field: nil) {
            if case .invalidJSON = $0 { return true } else { return false }
        }
        try expectError([r, "", r], line: 2, field: nil) {
            if case .invalidJSON = $0 { return true } else { return false }
        }
        try expectError([r, "[1, 2]"], line: 2, field: nil) { $0 == .notAnObject }
        try expectError([r.replacingOccurrences(of: #""answers": ["A"]"#, with: #""answers": ["A", 3]"#)], line: 1, field: "answers[1]") {
            $0 == .wrongType(expected: "string", got: "number")
        }
        try expectError([r.replacingOccurrences(of: #", "all_classes": null"#, with: "")], line: 1, field: "all_classes") {
            $0 == .missingField
        }
        // A follow-up question (`questions: k`) is numbered from 2 and names its lead.
        let followUp = r.replacingOccurrences(of: #""_id": "x1""#, with: #""_id": "x1-q2", "question_index": 2, "lead_context": "C", "lead_input": "P?""#)
        try expectError([followUp.replacingOccurrences(of: #""question_index": 2"#, with: #""question_index": 1"#)], line: 1,
                        field: "question_index") { if case .invalid = $0 { return true } else { return false } }
        try expectError([followUp.replacingOccurrences(of: #", "lead_input": "P?""#, with: "")], line: 1,
                        field: "question_index") { if case .invalid = $0 { return true } else { return false } }
        try expectError([followUp.replacingOccurrences(of: #""question_index": 2"#, with: #""question_index": "2""#)], line: 1,
                        field: "question_index") { $0 == .wrongType(expected: "integer", got: "string") }
    }

    @Test func followUpRecordsRoundTrip() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var followUp = LongBenchRecord(input: "P2", context: "C Q2", answers: ["7"], length: 9, dataset: "ruler_niah_multikey_2",
                                       language: "en", allClasses: nil, id: "niah_multikey_2-0-q2")
        followUp.questionIndex = 2
        followUp.leadContext = "C Q1"
        followUp.leadInput = "P1"
        let lead = LongBenchRecord(input: "P1", context: "C Q1", answers: ["3"], length: 9, dataset: "ruler_niah_multikey_2",
                                   language: "en", allClasses: nil, id: "niah_multikey_2-0")
        let encoder = JSONEncoder()
        let lines = try [lead, followUp].map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        #expect(!lines[0].contains("question_index") && lines[1].contains(#""question_index":2"#))
        let path = try dir.write("ruler_niah_multikey_2.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(try LongBenchRecord.read(path: path) == [lead, followUp])
    }

    @Test func bundledConfigMatchesMetricTable() throws {
        let c = try LongBenchConfig.bundled()
        #expect(c.datasets.count == 21)
        #expect(c.prompt.count == 21 && c.maxNewTokens.count == 21)
        #expect(c.metric == LongBenchDatasets.metric)
        #expect(c.firstLineOnly == LongBenchDatasets.firstLineOnly)
        #expect(c.paper16 == LongBenchAverages.paper16)
        for (name, members) in LongBenchAverages.categories { #expect(c.category[name] == members) }
        #expect(c.prompt["narrativeqa"]!.contains("asconcisely"))
        #expect(c.prompt["lcc"]!.hasSuffix("{context}Next line of code:\n"))
        #expect(c.maxNewTokens["samsum"] == 128 && c.maxNewTokens["gov_report"] == 512)
        #expect(c.noChatTemplate == ["trec", "triviaqa", "samsum", "lsht", "lcc", "repobench-p"])
        #expect(c.model2maxlenKVCacheFactory["llama3"] == LongBenchProtocol.defaultMaxLength)  // the one default max length
    }
}
