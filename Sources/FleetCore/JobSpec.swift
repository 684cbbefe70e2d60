import PolicySpec
import TaskSpec

/// Everything that changes a job's outputs (design §4), and nothing else: its canonical JSON
/// hashes to the job key. Priority and attempts live on the job row, not here.
public struct JobSpec: Codable, Sendable, Hashable {
    public var benchmark: Benchmark
    public var modelSha256: String
    public var engineVersion: String
    public var policy: PolicyConfig
    /// Tokens kept per layer, window included; `wholeCache` (0) for FullKV, which keeps every
    /// token whatever the budget, so one FullKV job answers every budget of its sweep.
    public var budget: Int
    /// LongBench dataset name, or "needle".
    public var dataset: String
    public var datasetVersion: String
    public var promptTemplate: String
    public var applyChatTemplate: Bool
    /// Middle-truncation length (LongBench); nil for needle.
    public var maxLength: Int?
    public var maxNewTokens: Int
    public var stop: [String]
    /// Needle texts and haystack; nil for LongBench.
    public var needle: NeedleSettings?
    /// Content addresses of the samples, in run order.
    public var sampleIds: [String]
    /// The engine's numerics mode; nil is exact (f32), the reference, and is left out of the
    /// key's JSON, so exact jobs keep the keys they had before modes existed.
    public var activations: ActivationPrecision?
    /// When the question enters the cache; nil is `aware` (the reference protocol), left out of
    /// the key's JSON like `activations`, so existing jobs keep their keys.
    public var question: QuestionTiming?
    /// `questions: k` (`QuestionReuse`): the samples are questions asked k to a context; nil is
    /// one question per context, left out of the key's JSON.
    public var questions: Int?

    /// The numerics mode the job runs in.
    public var numerics: ActivationPrecision { activations ?? .f32 }

    public init(benchmark: Benchmark, modelSha256: String, engineVersion: String? = nil,
                policy: PolicyConfig, budget: Int, dataset: String, datasetVersion: String,
                promptTemplate: String, applyChatTemplate: Bool, maxLength: Int?, maxNewTokens: Int,
                stop: [String], needle: NeedleSettings?, sampleIds: [String], activations: ActivationPrecision? = nil,
                question: QuestionTiming? = nil, questions: Int? = nil) {
        self.questions = questions.flatMap { $0 > 1 ? $0 : nil }
        self.benchmark = benchmark
        self.modelSha256 = modelSha256
        // The numerics version of the job's mode unless given (a key rebuilt from a stored spec).
        self.engineVersion = engineVersion ?? EngineVersion.of(activations ?? .f32)
        self.policy = policy
        self.budget = budget
        self.dataset = dataset
        self.datasetVersion = datasetVersion
        self.promptTemplate = promptTemplate
        self.applyChatTemplate = applyChatTemplate
        self.maxLength = maxLength
        self.maxNewTokens = maxNewTokens
        self.stop = stop
        self.needle = needle
        self.sampleIds = sampleIds
        self.activations = activations == .f32 ? nil : activations
        self.question = question == .aware ? nil : question
    }

    /// The question timing the job runs with.
    public var questionTiming: QuestionTiming { question ?? .aware }

    /// Whether a follow-up question runs on the cache compressed for its lead's prompt (`questions:
    /// k`, question-aware); under after-compression every question already meets the same
    /// compressed context.
    public var reusesLeadCompression: Bool { (questions ?? 1) > 1 && questionTiming == .aware }

    /// The budget of a job whose policy keeps the whole cache (FullKV).
    public static let wholeCache = 0

    /// The budget a results row shows: nil for a job that keeps the whole cache (FullKV).
    public var rowBudget: Int? { budget == Self.wholeCache ? nil : budget }

    /// The budgets of `sweep` this job's results stand for: its own, or all of them for FullKV.
    public func budgetsAnswered(in sweep: [Int]) -> [Int] {
        budget == Self.wholeCache ? sweep : [budget]
    }

    /// What the engine runs for this job: its policy under its budget, validated; nil for
    /// FullKV (the whole cache, in the KV-head layout). The worker and the coordinator's sample
    /// inspector both run this, so they run exactly the same policy.
    public func budgetedPolicy() throws(PolicyError) -> BudgetedPolicy? {
        if policy.keepsWholeCache { return nil }
        let budgeted = policy.budgeted(budget)
        try budgeted.validate()
        return budgeted
    }

    public func key() throws(WireEncodingError) -> JobKey {
        JobKey(hex: try ContentHash.sha256OfCanonicalJSON(self))
    }

    private enum CodingKeys: String, CodingKey {
        case benchmark, modelSha256 = "model_sha256", engineVersion = "engine_version", policy, budget, dataset,
            datasetVersion = "dataset_version", promptTemplate = "prompt_template",
            applyChatTemplate = "apply_chat_template", maxLength = "max_length", maxNewTokens = "max_new_tokens",
            stop, needle, sampleIds = "sample_ids", activations, question, questions
    }
}

/// A job's content address: sha256 (lower-case hex) of its spec's canonical JSON.
public struct JobKey: Codable, Sendable, Hashable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public init(from decoder: any Decoder) throws {
        hex = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    public var description: String { hex }
}
