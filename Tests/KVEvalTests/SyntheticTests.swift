import Foundation
import KVEval
import Testing
import TestSupport

struct SyntheticTests {
    /// Made-up essays (tests never need downloaded data).
    static func haystack(_ dir: TempDirView) throws {
        for f in 0..<4 {
            var text = ""
            for s in 0..<120 {
                text += "Essay \(f) sentence \(s) talks about topic \(s % 7) and idea \((s * 13) % 29) in some detail. "
                if s % 9 == 0 { text += "\n\n" }
            }
            _ = try dir.write("essay\(f).txt", text)
        }
    }

    @Test func generatesOfficialFormatSyntheticSet() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let hay = dir.url.appendingPathComponent("hay").path
        try FileManager.default.createDirectory(atPath: hay, withIntermediateDirectories: true)
        try Self.haystack(TempDirView(path: hay))
        var opts = SyntheticLongBench.Options()
        opts.samplesPerTask = 5
        opts.paragraphWords = 30
        let gen = try SyntheticLongBench(haystackDirectory: hay, options: opts)
        let out = dir.url.appendingPathComponent("synthetic").path
        let sets = try gen.write(to: out)
        #expect(FileManager.default.fileExists(atPath: out + "/SYNTHETIC.md"))

        let retrieval = try LongBenchRecord.read(directory: out, dataset: "passage_retrieval_en")
        let count = try LongBenchRecord.read(directory: out, dataset: "passage_count")
        #expect(retrieval == sets["passage_retrieval_en"] && count == sets["passage_count"])
        #expect(retrieval.count == 5 && count.count == 5)
        for r in retrieval {
            #expect(r.id.hasPrefix("synthetic-"))
            let paras = r.context.components(separatedBy: "\n\n")
            #expect(paras.count == 30)
            let k = Int(r.answers[0].dropFirst("Paragraph ".count))!
            #expect(paras[k - 1].hasPrefix("Paragraph \(k): ") && paras[k - 1].contains(r.input))
        }
        for r in count {
            let bodies = r.context.components(separatedBy: "\n\n").map { $0.split(separator: ":", maxSplits: 1)[1] }
            #expect(String(Set(bodies).count) == r.answers[0])
            #expect(r.allClasses == nil && r.input.isEmpty && r.length > 0)
        }
        // Same seed, same data.
        #expect(try SyntheticLongBench(haystackDirectory: hay, options: opts).generate() == sets)

        // Perfect predictions score 100 with the official metrics.
        let preds = (retrieval + count).map {
            LongBenchPrediction(pred: $0.answers[0], answers: $0.answers, allClasses: nil, dataset: $0.dataset)
        }
        let report = try LongBenchScorer.score(preds)
        #expect(report.datasets == ["passage_retrieval_en": 100, "passage_count": 100])
    }
}

/// Writes into an existing directory.
struct TempDirView {
    let path: String
    func write(_ name: String, _ text: String) throws -> String {
        let p = (path as NSString).appendingPathComponent(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }
}
