import PolicySpec
import TaskSpec

/// A sweep as the user asked for it: policies × budgets × (needle grid cells | datasets).
/// The coordinator expands it into jobs (`ExperimentExpansion`).
public struct ExperimentSpec: Codable, Sendable, Hashable {
    public var benchmark: Benchmark
    /// sha256 of the GGUF model file the jobs must run with.
    public var modelSha256: String
    public var policies: [PolicyConfig]
    public var budgets: [Int]
    public var needle: NeedleSweep?
    public var longbench: LongBenchSweep?
    /// Higher runs first.
    public var priority: Int
    public var maxAttempts: Int
    /// Target prompt tokens per job: samples are grouped into shards of about this size.
    public var shardTokens: Int
    /// The numerics mode of every job (JobSpec.activations); nil is exact (f32).
    public var activations: ActivationPrecision?
    /// When the question enters the cache (JobSpec.question); nil is `aware`.
    public var question: QuestionTiming?
    /// Questions per context (JobSpec.questions); nil is one.
    public var questions: Int?

    public init(benchmark: Benchmark, modelSha256: String, policies: [PolicyConfig], budgets: [Int],
                needle: NeedleSweep? = nil, longbench: LongBenchSweep? = nil, priority: Int = 0,
                maxAttempts: Int = 3, shardTokens: Int = 65_536, activations: ActivationPrecision? = nil,
                question: QuestionTiming? = nil, questions: Int? = nil) {
        self.questions = questions  // as asked: the expansion refuses a count outside 2…16
        self.benchmark = benchmark
        self.modelSha256 = modelSha256
        self.policies = policies
        self.budgets = budgets
        self.needle = needle
        self.longbench = longbench
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.shardTokens = shardTokens
        self.activations = activations == .f32 ? nil : activations
        self.question = question == .aware ? nil : question
    }

    private enum CodingKeys: String, CodingKey {
        case benchmark, modelSha256 = "model_sha256", policies, budgets, needle, longbench, priority,
            maxAttempts = "max_attempts", shardTokens = "shard_tokens", activations, question, questions
    }
}
