import ArgumentParser
import Assets
import FleetCore
import struct KVEngine.PolicyConfig
import class Worker.ModelStore

/// The sweep axes and policy parameters shared by `submit needle` and `submit longbench`.
struct SweepOptions: ParsableArguments {
    @Option(help: "sha256 of the GGUF model file the jobs must run with (default: that of --model).")
    var modelSha256: String?

    @Option(help: "GGUF model file whose sha256 the jobs must run with (default: the embedded SmolLM2-135M-Instruct).")
    var model: String?

    @Option(help: "Comma list of policies (fullkv, snapkv, pyramidkv, h2o, streamingllm).")
    var policies: String

    @Option(help: "Comma list or a:b:step of KV budgets (tokens per layer, window included).")
    var budgets: String

    @Option(help: "Observation window (default: the preset's: 8, or 32 for SnapKV/H2O under paper2024; StreamingLLM: 4 sinks + B − 4 recent).")
    var window: Int?
    @Option(help: "Pooling kernel size.") var kernel = 7
    @Option(help: "Pooling: max or avg.") var pooling = "max"
    @Option(help: "PyramidKV beta.") var beta = 20
    @Option(help: "GQA cache layout: query_head or kv_head.") var layout = "query_head"
    @Option(help: "Named settings preset (recorded with the results).") var preset: String?

    @Option(help: "Higher runs first.") var priority = 0
    @Option(help: "Tries per job before it is dead.") var maxAttempts = 3
    @Option(help: "Target prompt tokens per job.") var shardTokens = 65_536

    func policyConfigs() throws(CLIError) -> [WirePolicyConfig] {
        guard let pooling = Pooling(rawValue: pooling) else { throw CLIError("--pooling must be max or avg") }
        guard let layout = CacheLayout(rawValue: layout) else {
            throw CLIError("--layout must be query_head or kv_head")
        }
        let names = policies.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else { throw CLIError("--policies is empty") }
        // Names and presets are checked here for a quick message; the coordinator checks them too.
        if let preset, KVEngine.PolicyConfig.Preset(rawValue: preset) == nil {
            throw CLIError("--preset '\(preset)' is unknown; known: \(KVEngine.PolicyConfig.Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let unknown = names.first(where: { KVEngine.PolicyConfig.Name(rawValue: $0) == nil }) {
            throw CLIError("--policies: unknown policy '\(unknown)'; known: \(KVEngine.PolicyConfig.Name.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // No --window: the job says "the preset's window" and the engine resolves it, as
        // `pyramidkv generate` does.
        return names.map { WirePolicyConfig(name: $0, window: window, kernel: kernel, pooling: pooling, beta: beta,
                                            layout: layout, preset: preset) }
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
                       maxAttempts: maxAttempts, shardTokens: shardTokens)
    }
}
