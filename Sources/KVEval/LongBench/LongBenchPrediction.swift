import Foundation

/// One line of a prediction file in LongBench's `pred/` or KVCache-Factory's output format:
/// `pred`, `answers`, `all_classes` required; `dataset` required unless the file is named after
/// the dataset as LongBench's own `pred/{model}/{dataset}.jsonl` are (or sits in a
/// `{dataset}/` folder as KVCache-Factory's `{dataset}/{Method}.json` do); `length` and `_id`
/// optional; other fields (`prompt`, `input`, `context`, `language`, …) are ignored.
public struct LongBenchPrediction: Sendable, Equatable {
    public var pred: String
    public var answers: [String]
    public var allClasses: [String]?
    public var dataset: String
    public var length: Int?
    public var id: String?
    /// Where it came from, for error messages and per-sample output.
    public var file: String
    public var line: Int

    public init(pred: String, answers: [String], allClasses: [String]?, dataset: String,
                length: Int? = nil, id: String? = nil, file: String = "", line: Int = 0) {
        self.pred = pred; self.answers = answers; self.allClasses = allClasses; self.dataset = dataset
        self.length = length; self.id = id; self.file = file; self.line = line
    }

    /// The dataset a file's name or folder names, if it is a LongBench (or LongBench-E) dataset.
    public static func datasetFromPath(_ path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        for candidate in [url.deletingPathExtension().lastPathComponent, url.deletingLastPathComponent().lastPathComponent] {
            if LongBenchDatasets.metric[LongBenchDatasets.baseName(candidate)] != nil { return candidate }
        }
        return nil
    }

    public static func read(path: String) throws(LongBenchDataError) -> [LongBenchPrediction] {
        let fallback = datasetFromPath(path)
        return try JSONLines.read(path: path).map { (o) throws(LongBenchDataError) -> LongBenchPrediction in
            guard o.fields["all_classes"] != nil else { throw o.error("all_classes", .missingField) }
            let dataset: String
            if o.fields["dataset"] == nil, let fallback { dataset = fallback } else { dataset = try o.string("dataset") }
            return LongBenchPrediction(
                pred: try o.string("pred"), answers: try o.strings("answers"),
                allClasses: try o.optionalStrings("all_classes"), dataset: dataset,
                length: try o.optionalInt("length"), id: try o.optionalString("_id"), file: o.file, line: o.line)
        }
    }
}
