import ArgumentParser
import Assets
import Coordinator
import FleetCore
import Foundation
import KVEngine
import KVEval
import PolicySpec
import TaskSpec
import Worker

/// `pyramidkv reproduce --model NAME`: the paper's comparison as one fixed protocol
/// (`ReproductionProtocol`): the `chat` needle grid (1000–8000 × 5 depths) and RULER at 4096,
/// FullKV, StreamingLLM, H2O, SnapKV, PyramidKV and AdaKV at budgets 64–1024. With
/// `--coordinator` it submits to a fleet and returns; without, it runs a coordinator and a
/// worker in this process (as `demo`) and writes the report. Submitting twice gives the same
/// experiments, so an interrupted run resumes where it stopped.
struct ReproduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce", abstract: "Submit (or run here) the fixed reproduction protocol for one model.")

    @Option(help: "A named model (\(NamedModels.names.joined(separator: ", "))) or a GGUF file.")
    var model: String
    @Option(help: "Coordinator URL to submit to (default: run a coordinator and a worker in this process).")
    var coordinator: String?
    @Option(help: "File holding the admin token (default: $PYRAMIDKV_TOKEN); with --coordinator.")
    var tokenFile: String?
    @Option(help: "Parts to submit: needle, ruler (comma list).") var parts = "needle,ruler"
    @Option(help: "RULER tasks (default: all).") var rulerTasks = RULERTasks.names.joined(separator: ",")
    @Option(help: "RULER samples per task.") var rulerSamples = ReproductionProtocol.rulerSamples
    @Option(help: "Numerics mode: f32 (exact, the reference) or int8 (fast; only where it passes the bf16-band test).")
    var activations: ActivationPrecision = .f32
    @Option(help: "When the question enters the cache: aware (the paper's protocol) or after-compression (query-agnostic: the context compressed before the question).")
    var question: QuestionTiming = .aware
    @Option(help: "Embedded run: directory for the database and the report.") var out = "reproduce-out"
    @Option(help: "Threads for the engine kernels and BLAS (default: all cores).") var threads: Int?

    func validate() throws {
        let known = ["needle", "ruler"]
        for part in partList where !known.contains(part) {
            throw ValidationError("--parts: unknown part '\(part)'; known: \(known.joined(separator: ", "))")
        }
        guard !partList.isEmpty else { throw ValidationError("--parts is empty") }
        guard rulerSamples >= 1 else { throw ValidationError("--ruler-samples must be ≥ 1 (got \(rulerSamples))") }
        if coordinator == nil, tokenFile != nil { throw ValidationError("--token-file needs --coordinator") }
    }

    private var partList: [String] {
        parts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        BLASSetup.ensureFastKernel()
        try KernelRuntime.requireJobNumericsForFleet()
        let started = Date()
        let modelPath = try localModel()
        let sha = try ModelStore.fileSHA256(modelPath)
        let fleet: EmbeddedFleet?
        let admin: AdminClient
        if let coordinator {
            fleet = nil
            admin = ClientOptions.adminClient(try ClientOptions.endpoint(address: coordinator, tokenFile: tokenFile))
        } else {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let started = try await EmbeddedFleet.start(databasePath: (out as NSString).appendingPathComponent("reproduce.sqlite"),
                                                        say: say)
            fleet = started
            admin = started.admin
        }
        defer { fleet?.stop() }

        var experiments: [String] = []
        if partList.contains("needle") {
            let response = try await admin.submit(SubmitRequest(spec: ReproductionProtocol.needleSpec(
                modelSha256: sha, activations: activations, question: question)))
            say("needle experiment \(response.experiment): \(response.jobsCreated) jobs new, \(response.jobsExisting) already there")
            experiments.append(response.experiment)
        }
        if partList.contains("ruler") {
            let sets = try RulerRecords.generate(tasks: rulerTasks, maxSeqLength: ReproductionProtocol.rulerLength,
                                                 samples: rulerSamples, seed: ReproductionProtocol.rulerSeed, modelPath: modelPath)
            let protocols = try LongBenchFiles.protocols(configPath: nil, datasets: sets.map { RULERPrompt.datasetPrefix + $0.task })
            let samples = sets.flatMap(\.records).map {
                SampleSpec(record: $0)
            }
            let response = try await admin.submit(SubmitRequest(spec: ReproductionProtocol.rulerSpec(
                modelSha256: sha, datasets: protocols, samples: rulerSamples, activations: activations,
                question: question), samples: samples))
            say("RULER experiment \(response.experiment): \(response.jobsCreated) jobs new, \(response.jobsExisting) already there")
            experiments.append(response.experiment)
        }
        guard let fleet else {
            say("submitted; when the workers are done: pyramidkv results report \(experiments.joined(separator: " ")) --out DIR")
            return
        }
        if let threads { KernelRuntime.setThreads(max(1, threads)) }
        try KernelRuntime.ensureConfigured()
        let models = ModelStore(directories: [(modelPath as NSString).deletingLastPathComponent])
        let jobs = await fleet.runWorker(models: models, idPrefix: "reproduce")
        say(String(format: "worker finished %d job(s) in %.0f s", jobs, Date().timeIntervalSince(started)))
        for id in experiments {
            print("\n## \(id)\n\n" + ResultsTableFormat.md.render(try ResultsTable.build(from: try await admin.results(id))))
        }
    }

    /// The model's local file, fetched first when it is a known name not yet here (the RULER
    /// records are sized with its tokenizer, and the embedded worker runs it).
    private func localModel() throws -> String {
        if let named = NamedModels.named(model), !named.isFetched { try NamedModels.fetch([named.name]) }
        return try NamedModels.resolve(model)
    }

    func say(_ s: String) { print("reproduce: \(s)") }
}
