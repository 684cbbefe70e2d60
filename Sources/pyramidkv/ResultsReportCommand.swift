import ArgumentParser
import Assets
import Coordinator
import FleetCore
import Foundation

/// `results report EXP… --out DIR`: the Markdown report with its SVG figures (`ResultsReport`),
/// from a coordinator's experiments or, offline, from export files (`--from F`).
struct ResultsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "A Markdown report with SVG figures, tables and paired verdicts.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment ids (on the coordinator).") var experiments: [String] = []
    @Option(name: .customLong("from"), help: "An export file to report on instead of the coordinator (repeatable).")
    var exports: [String] = []
    @Option(help: "Output directory (report.md and the figures).") var out: String
    @Option(help: "Report title.") var title: String?
    @Option(help: "How the results were produced (shown in the report).") var command: String?
    @Option(help: "A line for the report's provenance list (repeatable).") var note: [String] = []

    func validate() throws {
        guard !experiments.isEmpty || !exports.isEmpty else {
            throw ValidationError("give experiment ids or --from export files")
        }
    }

    func run() async throws {
        var results: [ExperimentResults] = []
        for file in exports { results.append(try ExportFile.read(file).results()) }
        if !experiments.isEmpty {
            let admin = try client.adminClient()
            for id in experiments { results.append(try await admin.results(id)) }
        }
        let shas = Set(results.map(\.spec.modelSha256))
        let model = shas.sorted().map { NamedModels.withSHA256($0)?.name ?? "model sha256 \($0.prefix(12))…" }
            .joined(separator: ", ")
        let report = try ResultsReport.build(results, context: ResultsReport.Context(
            title: title ?? "KV-cache compression on \(model)", model: model, command: command, notes: note))
        try ReportFiles.write(report, to: out)
        print("\(out)/report.md (\(report.files.count - 1) figures)")
    }
}

enum ReportFiles {
    static func write(_ report: ResultsReport, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, text) in report.files {
                try text.write(toFile: (directory as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        } catch {
            throw CLIError("cannot write the report into \(directory): \(error.localizedDescription)")
        }
    }
}
