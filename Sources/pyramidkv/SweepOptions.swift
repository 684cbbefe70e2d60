import ArgumentParser
import FleetCore

/// The sweep axes and policy parameters shared by `submit needle` and `submit longbench`.
struct SweepOptions: ParsableArguments {
    @Option(help: "sha256 of the GGUF model file the jobs must run with.")
    var modelSha256: String

    @Option(help: "Comma list of policies (fullkv, snapkv, pyramidkv, h2o, streamingllm).")
    var policies: String

    @Option(help: "Comma list or a:b:step of KV budgets (tokens per layer, window included).")
    var budgets: String

    @Option(help: "Observation window.") var window = 8
    @Option(help: "Pooling kernel size.") var kernel = 7
    @Option(help: "Pooling: max or avg.") var pooling = "max"
    @Option(help: "PyramidKV beta.") var beta = 20
    @Option(help: "GQA cache layout: query_head or kv_head.") var layout = "query_head"
    @Option(help: "Named settings preset (recorded with the results).") var preset: String?

    @Option(help: "Higher runs first.") var priority = 0
    @Option(help: "Tries per job before it is dead.") var maxAttempts = 3
    @Option(help: "Target prompt tokens per job.") var shardTokens = 65_536

    func policyConfigs() throws(CLIError) -> [PolicyConfig] {
        guard let pooling = Pooling(rawValue: pooling) else { throw CLIError("--pooling must be max or avg") }
        guard let layout = CacheLayout(rawValue: layout) else {
            throw CLIError("--layout must be query_head or kv_head")
        }
        let names = policies.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else { throw CLIError("--policies is empty") }
        return names.map { PolicyConfig(name: $0, window: window, kernel: kernel, pooling: pooling, beta: beta,
                                        layout: layout, preset: preset) }
    }

    func budgetList() throws(CLIError) -> [Int] {
        do {
            return try GridParsing.integers(budgets, field: "--budgets")
        } catch {
            throw CLIError(error.description)
        }
    }

    func spec(benchmark: Benchmark, needle: NeedleSweep? = nil,
              longbench: LongBenchSweep? = nil) throws(CLIError) -> ExperimentSpec {
        ExperimentSpec(benchmark: benchmark, modelSha256: modelSha256.lowercased(), policies: try policyConfigs(),
                       budgets: try budgetList(), needle: needle, longbench: longbench, priority: priority,
                       maxAttempts: maxAttempts, shardTokens: shardTokens)
    }
}
