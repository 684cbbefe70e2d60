import Foundation
import Testing
import TestSupport

/// `pyramidkv submit longbench` reads DATASET.jsonl with KVEval's LongBench reader: a record
/// missing a field, or with a field of the wrong type, stops the submit with the file, line and
/// field named, before anything is sent (the CLI's old reader filled in "" and carried on).
@Suite(.serialized)
struct SubmitLongBenchRecordsTests {
    static let good = #"{"input": "q", "context": "c", "answers": ["a"], "length": 3, "dataset": "hotpotqa", "language": "en", "all_classes": null, "_id": "r1"}"#

    func submit(_ lines: [String]) throws -> (status: Int32, stderr: String) {
        try #require(PyramidKVExecutable.url != nil, "pyramidkv is not built (swift build)")
        let dir = try TemporaryDirectory()
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.path("hotpotqa.jsonl"), atomically: true, encoding: .utf8)
        // Port 9 (discard) is never a coordinator: reaching the network would fail differently.
        let r = try PyramidKVExecutable.run(["submit", "longbench", "--data", dir.url.path, "--datasets", "hotpotqa",
                                             "--model-sha256", String(repeating: "a", count: 64),
                                             "--policies", "fullkv", "--budgets", "128"],
                                            environment: ["PYRAMIDKV_TOKEN": "t", "PYRAMIDKV_COORDINATOR": "http://127.0.0.1:9"])
        return (r.status, r.stderr)
    }

    @Test("a missing field names file, line and field")
    func missingField() throws {
        let r = try submit([Self.good, #"{"input": "q", "answers": ["a"], "length": 3, "dataset": "hotpotqa", "language": "en", "all_classes": null, "_id": "r2"}"#])
        #expect(r.status != 0)
        #expect(r.stderr.contains("hotpotqa.jsonl:2") && r.stderr.contains("context"), "\(r.stderr)")
    }

    @Test("a field of the wrong type names it and the value")
    func wrongType() throws {
        let r = try submit([#"{"input": "q", "context": "c", "answers": "a", "length": 3, "dataset": "hotpotqa", "language": "en", "all_classes": null, "_id": "r1"}"#])
        #expect(r.status != 0)
        #expect(r.stderr.contains("hotpotqa.jsonl:1") && r.stderr.contains("answers"), "\(r.stderr)")
    }
}
