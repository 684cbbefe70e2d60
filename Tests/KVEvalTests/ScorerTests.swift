import Foundation
import KVEval
import Testing
import TestSupport

/// Scoring a small prediction file in KVCache-Factory's output format.
struct ScorerTests {
    static func line(_ dataset: String, _ pred: String, _ answers: [String], classes: [String]? = nil,
                     length: Int = 5000, id: String) throws -> String {
        let obj: [String: Any] = [
            "prompt": "p", "input": "q", "context": "c", "answers": answers, "pred": pred, "length": length,
            "dataset": dataset, "language": "en", "all_classes": classes ?? NSNull(), "_id": id,
        ]
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func file() throws -> String {
        let classes = ["Location", "City", "Number"]
        return try [
            line("hotpotqa", "Paris", ["Paris"], id: "h1"),
            line("hotpotqa", "London", ["Paris"], id: "h2"),
            line("trec", "Location\nCity", ["Location"], classes: classes, id: "t1"),
            line("trec", "Number", ["City"], classes: classes, id: "t2"),
            line("passage_count", "7", ["7"], id: "c1"),
            line("passage_count", "7 8", ["7"], id: "c2"),
            line("passage_count", "none", ["7"], id: "c3"),
            line("lcc", "\n# comment\nx = 1", ["x = 1"], id: "l1"),
        ].joined(separator: "\n") + "\n"
    }

    @Test func scoresKVCacheFactoryFile() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = try dir.write("SnapKV.json", Self.file())
        let r = try LongBenchScorer.score(files: [path])
        #expect(r.datasets == ["hotpotqa": 50.0, "trec": 50.0, "passage_count": 50.0, "lcc": 100.0])
        #expect(r.datasetOrder == ["hotpotqa", "trec", "passage_count", "lcc"])
        #expect(r.samples.map(\.score) == [1, 0, 1, 0, 1, 0.5, 0, 1])
        #expect(r.samples[5].id == "c2" && r.samples[5].line == 6)
        #expect(r.averages["mean"] == 62.5)
        #expect(r.averages["en.few_shot"] == 50.0 && r.averages["en.code"] == 100.0)
        #expect(r.averages["paper_avg_16"] == nil)
        #expect(r.buckets.isEmpty)

        let table = ScoreReportFormat.table.render(r)
        #expect(table.contains("passage_count") && table.contains("62.50"))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(ScoreReportFormat.json.render(r).utf8)) as? [String: Any])
        let samples = try #require(json["samples"] as? [[String: Any]])
        #expect(samples.count == 8)
        #expect(samples[0]["_id"] as? String == "h1" && samples[0]["dataset"] as? String == "hotpotqa")
        #expect((json["datasets"] as? [String: Double])?["lcc"] == 100.0)
        #expect((json["averages"] as? [String: Double])?["mean"] == 62.5)

        let csv = ScoreReportFormat.csv.render(r)
        #expect(csv.hasPrefix("kind,name,n,score"))
        #expect(csv.contains("dataset,trec,2,50.0,,,"))
    }

    @Test func officialPredFilesNameTheirDataset() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        // LongBench pred.py writes {"pred", "answers", "all_classes", "length"} to pred/{model}/{dataset}.jsonl.
        let lines = [#"{"pred": "Type: Location", "answers": ["Location"], "all_classes": ["Location", "City"], "length": 3000}"#,
                     #"{"pred": "City", "answers": ["Location"], "all_classes": ["Location", "City"], "length": 9000}"#]
        let path = try dir.write("trec.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try LongBenchScorer.score(files: [path], longBenchE: true)
        #expect(r.datasets == ["trec": 50.0])
        #expect(r.buckets["trec"]?["0-4k"] == 100.0 && r.buckets["trec"]?["8k+"] == 0.0)
        let other = try dir.write("preds.jsonl", lines[0] + "\n")
        #expect(throws: LongBenchDataError.self) { try LongBenchScorer.score(files: [other]) }
        #expect(LongBenchPrediction.datasetFromPath("/x/Llama_128/qasper/SnapKV.json") == "qasper")
        #expect(LongBenchPrediction.datasetFromPath("/x/pred_e/m/qasper_e.jsonl") == "qasper_e")
    }

    @Test func longBenchEBuckets() throws {
        let preds = [
            LongBenchPrediction(pred: "Paris", answers: ["Paris"], allClasses: nil, dataset: "hotpotqa_e", length: 100),
            LongBenchPrediction(pred: "x", answers: ["Paris"], allClasses: nil, dataset: "hotpotqa_e", length: 4000),
            LongBenchPrediction(pred: "Paris", answers: ["Paris"], allClasses: nil, dataset: "hotpotqa_e", length: 7999),
        ]
        let r = try LongBenchScorer.score(preds)
        let b = try #require(r.buckets["hotpotqa_e"])
        #expect(b["0-4k"] == 100.0 && b["4-8k"] == 50.0)
        #expect(b["8k+"]?.isNaN == true)
        #expect(ScoreReportFormat.json.render(r).contains(#""8k+":null"#))
    }

    @Test func metricErrorsNameTheLine() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let bad = try Self.line("passage_retrieval_en", "3", ["no id here"], id: "r1")
        let path = try dir.write("p.jsonl", try Self.line("hotpotqa", "a", ["a"], id: "h") + "\n" + bad + "\n")
        #expect(throws: LongBenchDataError.self) { try LongBenchScorer.score(files: [path]) }
        do { _ = try LongBenchScorer.score(files: [path]) } catch {
            #expect(error.line == 2 && error.field == "answers")
        }
        let zh = try dir.write("z.jsonl", try Self.line("multifieldqa_zh", "北京", ["北京"], id: "z") + "\n")
        if JiebaAvailability.isAvailable {
            #expect(try LongBenchScorer.score(files: [zh]).datasets["multifieldqa_zh"] == 100)
        } else {
            do { _ = try LongBenchScorer.score(files: [zh]); Issue.record("zh metrics must not score without jieba") } catch {
                guard case .metric(.requiresJieba) = error.reason else { Issue.record("\(error)"); return }
                #expect(error.description.contains("requires jieba segmentation"))
            }
        }
    }
}
