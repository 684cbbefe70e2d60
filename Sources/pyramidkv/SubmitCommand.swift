import ArgumentParser
import FleetCore
import Foundation
import KVEval

/// `pyramidkv submit needle|longbench`: expand a sweep into jobs on the coordinator.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a sweep (policies × budgets × grid cells or datasets) to the coordinator.",
        subcommands: [SubmitNeedleCommand.self, SubmitLongBenchCommand.self])
}

struct SubmitNeedleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needle", abstract: "Needle-in-a-haystack grid: lengths × depths.")

    @OptionGroup var client: ClientOptions
    @OptionGroup var sweep: SweepOptions

    @Option(help: "Context lengths: a:b:step (inclusive) or a comma list.")
    var lengths = "1000:8000:100"

    @Option(help: "Depth percents: a count n (round(linspace(0,100,n))), a:b:step or a comma list.")
    var depths = "10"

    @Option(help: "Haystack text file to upload (default: the worker's bundled essays).")
    var haystack: String?

    @Option(help: "Prompt protocol: kvcache-factory (the driver's completion prompt) or chat (the question inside the model's chat template).")
    var `protocol` = NeedleSettings.defaultProtocolName

    @Option(help: "Needle sentence (default: the Dolores Park sentence).") var needle: String?
    @Option(help: "Question text (default: the protocol's; --question sets when it enters the cache).") var questionText: String?
    @Option(help: "Words the response must contain (default: the needle's answer).") var answer: String?

    func validate() throws {
        guard NeedleSettings.protocolNames.contains(`protocol`) else {
            throw ValidationError("--protocol must be one of \(NeedleSettings.protocolNames.joined(separator: ", ")) (got '\(`protocol`)')")
        }
    }

    func run() async throws {
        let admin = try client.adminClient()
        var settings = NeedleSettings.defaults(protocolName: `protocol`)
        if let needle { settings.needle = needle }
        if let questionText { settings.question = questionText }
        if let answer { settings.answer = answer }
        if let haystack {
            guard let data = FileManager.default.contents(atPath: haystack) else {
                throw CLIError("--haystack \(haystack): cannot read the file")
            }
            settings.haystackSha256 = try await admin.putBlob(Array(data))
        }
        let grid = NeedleSweep(lengths: try GridParsing.integers(lengths, field: "--lengths"),
                               depths: try GridParsing.depths(depths, field: "--depths"), settings: settings)
        let response = try await admin.submit(SubmitRequest(spec: try sweep.spec(benchmark: .needle, needle: grid)))
        try SubmitOutput.print(response, json: client.json)
    }
}

struct SubmitLongBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "longbench", abstract: "LongBench datasets, read from DIR/DATASET.jsonl.")

    @OptionGroup var client: ClientOptions
    @OptionGroup var sweep: SweepOptions

    @Option(help: "Directory of LongBench files named DATASET.jsonl.")
    var data: String

    @Option(help: "Comma list of datasets.")
    var datasets: String

    @Option(help: "LongBench config (dataset2prompt, dataset2maxlen, no_chat_template_datasets); default: the bundled one. RULER datasets (ruler_<task>) need none.")
    var config: String?

    @Option(help: "Middle-truncation length in tokens (default: KVCache-Factory's for 8k Llama-family models such as the default model).")
    var maxLength = LongBenchProtocol.defaultMaxLength

    @Option(help: "Records per dataset (the first N).")
    var limit: Int?

    func run() async throws {
        let names = datasets.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let protocols = try LongBenchFiles.protocols(configPath: config, datasets: names)
        var samples: [SampleSpec] = []
        var fingerprint: [String] = []
        for name in names {
            let (records, digest) = try LongBenchFiles.records(directory: data, dataset: name, limit: limit)
            samples += records
            fingerprint.append("\(name):\(digest)")
        }
        let longbench = LongBenchSweep(datasets: protocols, limit: limit, maxLength: maxLength,
                                       datasetVersion: ContentHash.sha256Hex(Array(fingerprint.joined(separator: ",").utf8)))
        let spec = try sweep.spec(benchmark: .longbench, longbench: longbench)
        let response = try await client.adminClient().submit(SubmitRequest(spec: spec, samples: samples))
        try SubmitOutput.print(response, json: client.json)
    }
}

enum SubmitOutput {
    static func print(_ response: SubmitResponse, json: Bool) throws {
        if json {
            try JSONOutput.print(response)
        } else {
            Swift.print("experiment \(response.experiment): \(response.jobsCreated) jobs created, "
                        + "\(response.jobsExisting) already existed")
        }
    }
}
