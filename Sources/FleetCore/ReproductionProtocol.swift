import PolicySpec
import TaskSpec

/// The fixed protocol `pyramidkv reproduce` submits: the paper's question (does PyramidKV keep
/// more than SnapKV, H2O and StreamingLLM at small budgets?) asked the same way on every model.
/// Fixed values, so two submissions of one model give one experiment id and the same jobs.
public enum ReproductionProtocol {
    /// The policies compared, FullKV first (it runs once, without a budget).
    public static let policies: [PolicyConfig.Name] = [.fullkv, .streamingllm, .h2o, .snapkv, .pyramidkv, .adakv]
    public static let budgets = [64, 128, 256, 512, 1024]
    /// The needle grid: 8 lengths × 5 depths = 40 cells under the `chat` protocol.
    public static let needleLengths = Array(stride(from: 1000, through: 8000, by: 1000))
    public static let needleDepths = [0, 25, 50, 75, 100]
    public static let needleProtocol = "chat"
    /// RULER's max_seq_length, samples per task and seed.
    public static let rulerLength = 4096
    public static let rulerSamples = 25
    public static let rulerSeed = 42
    /// About one 8k cell per job: jobs lease shard by shard, so a worker's prefill cache holds
    /// one shard's snapshots while all 26 policy × budget jobs of that shard run.
    public static let shardTokens = 8192

    public static func policyConfigs() -> [PolicyConfig] { policies.map { PolicyConfig(name: $0) } }

    /// The needle experiment for a model.
    public static func needleSpec(modelSha256: String, activations: ActivationPrecision? = nil,
                                  question: QuestionTiming? = nil) -> ExperimentSpec {
        let grid = NeedleSweep(lengths: needleLengths, depths: needleDepths,
                               settings: NeedleSettings.defaults(protocolName: needleProtocol))
        return ExperimentSpec(benchmark: .needle, modelSha256: modelSha256, policies: policyConfigs(), budgets: budgets,
                              needle: grid, shardTokens: shardTokens, activations: activations, question: question)
    }

    /// The RULER experiment for a model, its datasets' protocols given (the bundled config's).
    public static func rulerSpec(modelSha256: String, datasets: [LongBenchDatasetProtocol], samples: Int,
                                 activations: ActivationPrecision? = nil, question: QuestionTiming? = nil) -> ExperimentSpec {
        let sweep = LongBenchSweep(datasets: datasets, maxLength: rulerLength,
                                   datasetVersion: "ruler-seed\(rulerSeed)-\(rulerLength)-\(samples)")
        return ExperimentSpec(benchmark: .longbench, modelSha256: modelSha256, policies: policyConfigs(), budgets: budgets,
                              longbench: sweep, shardTokens: shardTokens, activations: activations, question: question)
    }
}
