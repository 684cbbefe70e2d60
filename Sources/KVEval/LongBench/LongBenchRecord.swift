import Foundation

/// One record of LongBench v1's official data (`data/{dataset}.jsonl`, `{dataset}_e.jsonl`).
public struct LongBenchRecord: Sendable, Equatable, Codable {
    public var input: String
    public var context: String
    public var answers: [String]
    /// Words for en/code, characters for zh; LongBench-E buckets use it.
    public var length: Int
    public var dataset: String
    public var language: String
    /// The label set for trec/lsht, nil elsewhere.
    public var allClasses: [String]?
    public var id: String
    /// `questions: k` (RULER records only): this record's place among the questions asked on
    /// one context (2…k; nil for a lead or a single question), and the lead's `context` and
    /// `input`, whose compressed cache a question-aware run reuses.
    public var questionIndex: Int?
    public var leadContext: String?
    public var leadInput: String?

    enum CodingKeys: String, CodingKey {
        case input, context, answers, length, dataset, language
        case allClasses = "all_classes"
        case id = "_id"
        case questionIndex = "question_index", leadContext = "lead_context", leadInput = "lead_input"
    }

    public init(input: String, context: String, answers: [String], length: Int, dataset: String,
                language: String, allClasses: [String]?, id: String) {
        self.input = input; self.context = context; self.answers = answers; self.length = length
        self.dataset = dataset; self.language = language; self.allClasses = allClasses; self.id = id
    }

    /// Writes `all_classes` as null when absent, as the official files do.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(input, forKey: .input)
        try c.encode(context, forKey: .context)
        try c.encode(answers, forKey: .answers)
        try c.encode(length, forKey: .length)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(language, forKey: .language)
        if let allClasses { try c.encode(allClasses, forKey: .allClasses) } else { try c.encodeNil(forKey: .allClasses) }
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(questionIndex, forKey: .questionIndex)
        try c.encodeIfPresent(leadContext, forKey: .leadContext)
        try c.encodeIfPresent(leadInput, forKey: .leadInput)
    }

    /// Reads every record of a JSONL file; the first malformed line stops the read with its
    /// file, line number and field.
    public static func read(path: String) throws(LongBenchDataError) -> [LongBenchRecord] {
        try JSONLines.read(path: path).map { (o) throws(LongBenchDataError) -> LongBenchRecord in
            guard o.fields["all_classes"] != nil else { throw o.error("all_classes", .missingField) }
            var record = LongBenchRecord(
                input: try o.string("input"), context: try o.string("context"), answers: try o.strings("answers"),
                length: try o.int("length"), dataset: try o.string("dataset"), language: try o.string("language"),
                allClasses: try o.optionalStrings("all_classes"), id: try o.string("_id"))
            record.questionIndex = try o.optionalInt("question_index")
            record.leadContext = try o.optionalString("lead_context")
            record.leadInput = try o.optionalString("lead_input")
            if let index = record.questionIndex, index < 2 || record.leadContext == nil || record.leadInput == nil {
                throw o.error("question_index", .invalid("a follow-up question is numbered from 2 and names its lead (lead_context, lead_input)"),
                              value: index)
            }
            return record
        }
    }

    /// Reads `{directory}/{dataset}.jsonl` (or `{dataset}_e.jsonl` for LongBench-E).
    public static func read(directory: String, dataset: String, longBenchE: Bool = false) throws(LongBenchDataError) -> [LongBenchRecord] {
        try read(path: URL(fileURLWithPath: directory)
            .appendingPathComponent(dataset + (longBenchE ? "_e" : "") + ".jsonl").path)
    }
}
