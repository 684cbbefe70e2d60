import ArgumentParser
import Assets
import FleetCore
import PolicySpec
import TaskSpec
import class Worker.ModelStore

/// The sweep axes and policy parameters shared by `submit needle` and `submit longbench`.
struct SweepOptions: ParsableArguments {
    @Option(help: "sha256 of the GGUF model file the jobs must run with (default: that of --model).")
    var modelSha256: String?

    @Option(help: "A named model (\(NamedModels.names.joined(separator: ", "))) or a GGUF file whose sha256 the jobs must run with (default: the embedded SmolLM2-135M-Instruct).")
    var model: String?

    @Option(help: "Comma list of policies (\(PolicyConfig.Name.knownValues)).")
    var policies: String

    @Option(help: "Comma list or a:b:step of KV budgets (tokens per layer, window included).")
    var budgets: String

    @Option(help: "Observation window (default: the preset's: 8, or 32 for SnapKV/H2O under paper2024; StreamingLLM: 4 sinks + B − 4 recent).")
    var window: Int?
    @Option(help: "Pooling kernel size (default: each policy's reference: 7; chunkkv 5).") var kernel: Int?
    @Option(help: "Pooling: \(Pooling.knownValues) (default: each policy's reference: max; chunkkv avg).") var pooling: Pooling?
    @Option(help: "ChunkKV's chunk length in tokens (default 20; chunkkv only).") var chunkSize: Int?
    @Option(help: "PyramidKV beta.") var beta = 20
    @Option(help: "GQA cache layout: \(CacheLayout.knownValues).") var layout: CacheLayout = .queryHead
    @Option(help: "Named settings preset, recorded with the results: \(PolicyConfig.Preset.knownValues).")
    var preset: PolicyConfig.Preset?

    @Option(help: "Higher runs first.") var priority = 0
    @Option(help: "Tries per job before it is dead.") var maxAttempts = 3
    @Option(help: "Target prompt tokens per job. A worker runs every policy × budget of a shard in turn from its prefill cache, so a shard's prefills should fit that cache (16k tokens of a 1.5B Qwen: ~0.9 GiB of K/V; a larger shard cycles through the cache and prefills every sample again for each job).")
    var shardTokens = 16_384
    @Option(help: "Numerics mode of the jobs, part of their keys: f32 (exact, the reference) or int8 (fast: int8 activations, exact integer block dots).")
    var activations: ActivationPrecision = .f32
    @Option(help: "When the question enters the cache, part of the jobs' keys: aware (the reference drivers': prefilled and compressed with the context) or after-compression (the context is compressed first, then the question is prefilled into the compressed cache; needle and RULER).")
    var question: QuestionTiming = .aware
    @Option(help: "Questions per context, part of the jobs' keys (RULER records from `ruler generate --questions k`): question-aware, follow-ups run on the cache compressed for the first question's prompt; without it each runs as a fresh prompt.")
    var questions: Int?

    func policyConfigs() throws(CLIError) -> [PolicyConfig] {
        // No --window: the job says "the preset's window" and the engine resolves it
        // (`PolicyConfig.effectiveWindow`), as `pyramidkv generate` does.
        try Self.policyNames(policies).map {
            // --chunk-size belongs to chunkkv; the other policies of the list run without it.
            PolicyConfig(name: $0, window: window, kernel: kernel, pooling: pooling, beta: beta, layout: layout, preset: preset,
                         chunkSize: $0 == .chunkkv ? chunkSize : nil)
        }
    }

    /// A `--policies` comma list. Checked here for a quick message; the coordinator checks names
    /// (and each policy × budget) too.
    static func policyNames(_ list: String) throws(CLIError) -> [PolicyConfig.Name] {
        let spelled = list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !spelled.isEmpty, spelled.allSatisfy({ !$0.isEmpty }) else { throw CLIError("--policies is empty") }
        do {
            return try spelled.map(PolicyConfig.Name.parse)
        } catch {
            throw CLIError("--policies: \(error.reason)")
        }
    }

    func budgetList() throws(CLIError) -> [Int] {
        do {
            return try GridParsing.integers(budgets, field: "--budgets")
        } catch {
            throw CLIError(error.description)
        }
    }

    /// The model the jobs need: `--model-sha256`, else the hash of `--model`, else the default
    /// model's published hash (workers check the file they load against it).
    func resolvedModelSha256() throws(CLIError) -> String {
        if let modelSha256 {
            guard model == nil else { throw CLIError("give --model-sha256 or --model, not both") }
            let sha = modelSha256.lowercased()
            guard ContentHash.isSHA256Hex(sha) else {
                throw CLIError("--model-sha256 '\(modelSha256)' is not 64 hex digits")
            }
            return sha
        }
        guard let model else { return DefaultAssets.modelSHA256 }
        if let named = NamedModels.named(model) { return named.sha256 }  // workers fetch it when they lack it
        do {
            return try ModelStore.fileSHA256(model)
        } catch {
            throw CLIError("--model \(model): \(error)")
        }
    }

    func spec(benchmark: Benchmark, needle: NeedleSweep? = nil,
              longbench: LongBenchSweep? = nil) throws(CLIError) -> ExperimentSpec {
        ExperimentSpec(benchmark: benchmark, modelSha256: try resolvedModelSha256(), policies: try policyConfigs(),
                       budgets: try budgetList(), needle: needle, longbench: longbench, priority: priority,
                       maxAttempts: maxAttempts, shardTokens: shardTokens, activations: activations,
                       question: question, questions: questions)
    }
}
