import ArgumentParser
import Coordinator
import FleetCore
import Foundation
import KVEngine
import KVEval
import PolicySpec
import Worker
import Assets

/// `pyramidkv demo` (= `make demo`): the fleet on one machine. A coordinator (SQLite file, HTTP
/// on loopback) and a worker run in this process over the same code paths as the daemons; a
/// needle grid under the `chat` protocol and two RULER tasks the default model can do under
/// FullKV run under FullKV, StreamingLLM, H2O, SnapKV and PyramidKV at budgets 64 and 128. The
/// worker scores every sample as it posts it and shares each sample's prefill across policies;
/// the tables (with 95 % intervals), the paired comparison with FullKV and the heatmaps follow.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Coordinator + worker in one process: a small sweep, its table and heatmaps.")

    @Option(help: "Output directory (database, heatmaps, synthetic data).") var out = "demo-out"
    @Option(help: "Needle context lengths.") var lengths = "1000,2000,3000"
    @Option(help: "Needle depths (percent).") var depths = "0,50,100"
    @Option(help: "Needle prompt protocol (chat or kvcache-factory).") var needleProtocol = "chat"
    @Option(help: "Policies.") var policies = "fullkv,streamingllm,h2o,snapkv,pyramidkv"
    @Option(help: "Budgets (tokens per layer).") var budgets = "64,128"
    @Option(help: "RULER tasks (empty skips RULER).") var rulerTasks = "niah_single_1,niah_single_2"
    @Option(help: "RULER max_seq_length.") var rulerLength = 1024
    @Option(help: "RULER samples per task.") var rulerSamples = 5
    @Option(help: "Synthetic LongBench records per task (0 skips them; the default model scores 0 on them).")
    var longbenchSamples = 0
    @Option(help: "Threads for the engine kernels and BLAS (default: all cores).") var threads: Int?

    func run() async throws {
        BLASSetup.ensureFastKernel()
        try KernelRuntime.requireJobNumericsForFleet()
        try KernelRuntime.ensureConfigured()
        if let threads { KernelRuntime.setThreads(max(1, threads)) }
        let started = Date()
        let fm = FileManager.default
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let modelPath = try DefaultAssets.requireModel()
        let models = ModelStore(directories: [(modelPath as NSString).deletingLastPathComponent])
        guard let sha = models.available().first(where: { $0.value == modelPath })?.key else {
            throw CLIError("cannot hash \(modelPath)")
        }

        // Coordinator: real SQLite file, real HTTP server on an ephemeral loopback port.
        let db = (out as NSString).appendingPathComponent("demo.sqlite")
        let fleet = try await EmbeddedFleet.start(databasePath: db, say: say)
        defer { fleet.stop() }
        let admin = fleet.admin

        // Sweeps.
        let policyList = try SweepOptions.policyNames(policies).map { PolicyConfig(name: $0) }
        let budgetList = try GridParsing.integers(budgets, field: "--budgets")
        let grid = NeedleSweep(lengths: try GridParsing.integers(lengths, field: "--lengths"),
                               depths: try GridParsing.depths(depths, field: "--depths"),
                               settings: NeedleSettings.defaults(protocolName: needleProtocol))
        let needle = try await admin.submit(SubmitRequest(spec: ExperimentSpec(
            benchmark: .needle, modelSha256: sha, policies: policyList, budgets: budgetList, needle: grid)))
        say("needle experiment \(needle.experiment): \(needle.jobsCreated) jobs (\(needle.jobsExisting) already there)")
        var experiments = [needle.experiment]
        var titles = [needle.experiment: "Needle in a haystack, \(needleProtocol) protocol"]
        if !rulerTasks.isEmpty {
            let ruler = try await submitRuler(admin: admin, sha: sha, modelPath: modelPath, policies: policyList, budgets: budgetList)
            say("RULER experiment \(ruler.experiment): \(ruler.jobsCreated) jobs")
            experiments.append(ruler.experiment)
            titles[ruler.experiment] = "RULER (\(rulerTasks), max_seq_length \(rulerLength), \(rulerSamples) samples each)"
        }
        if longbenchSamples > 0 {
            let lb = try await submitSynthetic(admin: admin, sha: sha, policies: policyList, budgets: budgetList)
            say("synthetic LongBench experiment \(lb.experiment): \(lb.jobsCreated) jobs")
            experiments.append(lb.experiment)
            titles[lb.experiment] = "Synthetic LongBench-format tasks"
        }

        // Worker: the same loop `pyramidkv worker` runs, until the queue is empty.
        let jobs = await fleet.runWorker(models: models, idPrefix: "demo")
        say("worker finished \(jobs) job(s)")

        // Tabulate and plot: the worker posted a score with every prediction, so no scoring step.
        for id in experiments {
            let results = try await admin.results(id)
            let table = try ResultsTable.build(from: results)
            print("\n## \(titles[id] ?? id) (\(id))\n")
            print(ResultsTableFormat.md.render(table))
            print(Self.keptShare(table))
            if id == needle.experiment {
                for p in policyList.map(\.name) {
                    for b in budgetList {
                        let map = try NeedleHeatmap.build(from: results, policy: p, budget: b)
                        let file = (out as NSString).appendingPathComponent("needle-\(p.rawValue)-\(b).svg")
                        try map.svg(model: "SmolLM2-135M-Instruct").write(toFile: file, atomically: true, encoding: .utf8)
                        say("heatmap \(file) (overall \(String(format: "%.3f", map.overall)))")
                    }
                }
                for p in policyList.map(\.name) where p != .fullkv {
                    let map = try NeedleHeatmap.build(from: results, policy: p, budget: budgetList.first!)
                    print("\n" + map.terminalRendering())
                }
            }
            let comparison = try ResultsComparison.build(from: results, baseline: "fullkv")
            print("\n" + comparison.markdown())
        }
        say(String(format: "done in %.0f s; outputs in %@", Date().timeIntervalSince(started), out))
        say("on a real model: pyramidkv reproduce --model qwen2.5-coder-0.5b-instruct (the paper's grid and RULER; README § Reproduction)")
    }

    /// One line per policy × budget: the share of FullKV's average it kept.
    static func keptShare(_ table: ResultsTable) -> String {
        guard let full = table.rows.first(where: { $0.policy == "fullkv" })?.average, full.score > 0 else {
            return "(no FullKV row with a positive score to compare against)"
        }
        return table.rows.filter { $0.policy != "fullkv" }.map { row in
            let name = ResultsTable.label(policy: row.policy, budget: row.budget)
            guard let average = row.average else { return "\(name): no scores" }
            return String(format: "%@ kept %.0f%% of FullKV's score (%.2f ± %.2f vs %.2f)", name,
                          100 * average.score / full.score, average.score, average.plusMinus, full.score)
        }.joined(separator: "\n")
    }

    func submitRuler(admin: AdminClient, sha: String, modelPath: String, policies: [PolicyConfig],
                     budgets: [Int]) async throws -> SubmitResponse {
        let sets = try RulerRecords.generate(tasks: rulerTasks, maxSeqLength: rulerLength, samples: rulerSamples, seed: 42,
                                             modelPath: modelPath)
        let datasets = sets.map { RULERPrompt.datasetPrefix + $0.task }
        let protocols = try LongBenchFiles.protocols(configPath: nil, datasets: datasets)
        let samples = sets.flatMap(\.records).map {
            SampleSpec(record: $0)
        }
        let sweep = LongBenchSweep(datasets: protocols, maxLength: rulerLength,
                                   datasetVersion: "ruler-seed42-\(rulerLength)-\(rulerSamples)")
        return try await admin.submit(SubmitRequest(spec: ExperimentSpec(
            benchmark: .longbench, modelSha256: sha, policies: policies, budgets: budgets, longbench: sweep), samples: samples))
    }

    func submitSynthetic(admin: AdminClient, sha: String, policies: [PolicyConfig], budgets: [Int]) async throws -> SubmitResponse {
        var options = SyntheticLongBench.Options()
        options.samplesPerTask = longbenchSamples
        let dir = (out as NSString).appendingPathComponent("synthetic-longbench")
        let sets = try SyntheticLongBench(haystackDirectory: DefaultAssets.haystackDirectory, options: options).write(to: dir)
        let config = try LongBenchConfig.bundled()
        var protocols: [LongBenchDatasetProtocol] = []
        var samples: [SampleSpec] = []
        for name in sets.keys.sorted() {
            guard let template = config.prompt[name], let maxNew = config.maxNewTokens[name] else { continue }
            protocols.append(LongBenchDatasetProtocol(dataset: name, promptTemplate: template, maxNewTokens: maxNew,
                                                      applyChatTemplate: !config.noChatTemplate.contains(name),
                                                      stop: name == "samsum" ? ["\n"] : []))
            samples += sets[name]!.map {
                SampleSpec(record: $0)
            }
        }
        let sweep = LongBenchSweep(datasets: protocols, maxLength: LongBenchProtocol.defaultMaxLength,
                                   datasetVersion: "synthetic-\(options.seed)-\(options.samplesPerTask)")
        return try await admin.submit(SubmitRequest(spec: ExperimentSpec(
            benchmark: .longbench, modelSha256: sha, policies: policies, budgets: budgets, longbench: sweep), samples: samples))
    }

    func say(_ s: String) { print("demo: \(s)") }
}
