/// One unit of model work (batch size 1): a needle grid cell or a LongBench record.
/// Content-addressed: its id is the sha256 of its canonical JSON.
public struct SampleSpec: Codable, Sendable, Hashable {
    public var benchmark: Benchmark
    /// LongBench dataset name, or "needle".
    public var dataset: String
    /// Needle: context length in tokens and depth percent.
    public var length: Int?
    public var depth: Int?
    /// LongBench record fields (`_id`, input, context, answers, all_classes, length).
    public var recordId: String?
    public var input: String?
    public var context: String?
    public var answers: [String]?
    public var allClasses: [String]?
    public var recordLength: Int?
    /// `questions: k` (RULER records): the record's place among the questions asked on one
    /// context (2…k; nil for the lead or a single question) and the lead's `context` and `input`.
    /// Left out of the canonical JSON when nil, so every other sample keeps its address.
    public var questionIndex: Int?
    public var leadContext: String?
    public var leadInput: String?

    public init(benchmark: Benchmark, dataset: String, length: Int? = nil, depth: Int? = nil,
                recordId: String? = nil, input: String? = nil, context: String? = nil,
                answers: [String]? = nil, allClasses: [String]? = nil, recordLength: Int? = nil,
                questionIndex: Int? = nil, leadContext: String? = nil, leadInput: String? = nil) {
        self.questionIndex = questionIndex
        self.leadContext = leadContext
        self.leadInput = leadInput
        self.benchmark = benchmark
        self.dataset = dataset
        self.length = length
        self.depth = depth
        self.recordId = recordId
        self.input = input
        self.context = context
        self.answers = answers
        self.allClasses = allClasses
        self.recordLength = recordLength
    }

    public static func needleCell(length: Int, depth: Int) -> SampleSpec {
        SampleSpec(benchmark: .needle, dataset: "needle", length: length, depth: depth)
    }

    /// The content address of this sample.
    public func id() throws(WireEncodingError) -> String {
        try ContentHash.sha256OfCanonicalJSON(self)
    }

    /// Rough prompt size in tokens, used only to size shards: the needle length, or about
    /// four characters per token for LongBench text, capped by `maxLength`.
    public func estimatedPromptTokens(maxLength: Int?) -> Int {
        if let length { return length }
        let characters = (context?.count ?? 0) + (input?.count ?? 0)
        let estimate = max(1, characters / 4)
        return maxLength.map { min($0, estimate) } ?? estimate
    }

    private enum CodingKeys: String, CodingKey {
        case benchmark, dataset, length, depth, recordId = "record_id", input, context, answers,
            allClasses = "all_classes", recordLength = "record_length", questionIndex = "question_index",
            leadContext = "lead_context", leadInput = "lead_input"
    }
}

/// A sample with its content address, as the coordinator serves it to workers.
public struct StoredSample: Codable, Sendable, Hashable {
    public var id: String
    public var sample: SampleSpec

    public init(id: String, sample: SampleSpec) {
        self.id = id
        self.sample = sample
    }
}
