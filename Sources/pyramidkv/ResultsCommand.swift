import ArgumentParser
import Coordinator
import FleetCore
import Foundation
import KVEval
import PolicySpec

/// `pyramidkv results table|heatmap|raw`.
struct ResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results", abstract: "Tables and heatmaps from scored predictions.",
        subcommands: [ResultsTableCommand.self, ResultsHeatmapCommand.self, ResultsCompareCommand.self,
                       ResultsRawCommand.self, ResultsReportCommand.self, ResultsExportCommand.self, ResultsImportCommand.self])
}

struct ResultsTableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table", abstract: "Rows policy × budget, columns datasets + average (the paper's Table 1).")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String
    @Option(help: "md, csv, json or latex.") var format = "md"

    func run() async throws {
        let chosen = client.json ? ResultsTableFormat.json : ResultsTableFormat(rawValue: format)
        guard let chosen else { throw ValidationError("--format must be md, csv, json or latex") }
        let results = try await client.adminClient().results(experiment)
        print(chosen.render(try ResultsTable.build(from: results)), terminator: "")
    }
}

struct ResultsHeatmapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heatmap", abstract: "The needle heatmap of one policy × budget.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String
    @Option(help: "Policy name: \(PolicyConfig.Name.knownValues).") var policy: PolicyConfig.Name
    @Option(help: "KV budget.") var budget: Int
    @Option(help: "terminal or json.") var format = "terminal"
    @Option(help: "Write an SVG file here.") var out: String?
    @Option(help: "Model name in the SVG title.") var model = "SmolLM2-135M-Instruct"

    func run() async throws {
        let results = try await client.adminClient().results(experiment)
        let heatmap = try NeedleHeatmap.build(from: results, policy: policy, budget: budget)
        if let out {
            try heatmap.svg(model: model).write(toFile: out, atomically: true, encoding: .utf8)
            print("wrote \(out)")
        } else if client.json || format == "json" {
            try JSONOutput.print(heatmap)
        } else {
            print(heatmap.terminalRendering())
        }
    }
}

struct ResultsCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Paired differences of every policy × budget against a baseline, with paired-bootstrap CIs.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String
    @Option(help: "The baseline row: 'fullkv' or policy@budget (e.g. snapkv@128).") var baseline = "fullkv"
    @Option(help: "md or json.") var format = "md"
    @Option(help: "Another experiment over the same samples (e.g. the same grid question-aware): compare row by row, paired by sample, instead of against --baseline.")
    var against: String?
    @Option(help: "With --against, on records of several questions per context (questions: k): all, leads (RULER's own records) or follow-ups (questions 2…k).")
    var questions: ExperimentComparison.Questions = .all

    func run() async throws {
        guard client.json || ["md", "json"].contains(format) else { throw ValidationError("--format must be md or json") }
        let admin = try client.adminClient()
        let results = try await admin.results(experiment)
        if let against {
            let comparison = try ExperimentComparison.build(candidate: results, baseline: try await admin.results(against),
                                                            questions: questions)
            return print(comparison.markdown(), terminator: "")
        }
        guard questions == .all else { throw ValidationError("--questions needs --against") }
        let comparison = try ResultsComparison.build(from: results, baseline: baseline)
        if client.json || format == "json" { return try JSONOutput.print(comparison) }
        print(comparison.markdown(), terminator: "")
    }
}

struct ResultsRawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw", abstract: "Every stored prediction of an experiment, as JSON (input of rescoring).")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String

    func run() async throws {
        try JSONOutput.print(try await client.adminClient().results(experiment))
    }
}
extension ExperimentComparison.Questions: ExpressibleByArgument {}
