import ArgumentParser
import Coordinator
import FleetCore
import Foundation

/// `results export EXP --out F.jsonl.gz`: everything needed to rebuild the experiment's tables
/// elsewhere (spec, samples, job specs and keys, predictions, scores, hardware, engine version).
struct ResultsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write an experiment's results as a gzip'd JSON-lines file (see `results import`).")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String
    @Option(help: "Output file (.jsonl.gz).") var out: String

    func run() async throws {
        let admin = try client.adminClient()
        let results = try await admin.results(experiment)
        let (header, samples, jobs) = ResultsExport.parts(of: results, samples: try await admin.samples(experiment: experiment))
        var text = try JSONOutput.line(header) + "\n"
        for sample in samples { text += try JSONOutput.line(sample) + "\n" }
        for job in jobs { text += try JSONOutput.line(job) + "\n" }
        // Written beside, then renamed: an interrupted export never leaves a truncated file under the name.
        let partial = out + ".partial"
        try Gzip.write(text, to: partial)
        do {
            if FileManager.default.fileExists(atPath: out) { try FileManager.default.removeItem(atPath: out) }
            try FileManager.default.moveItem(atPath: partial, toPath: out)
        } catch {
            throw CLIError("cannot move \(partial) to \(out): \(error.localizedDescription)")
        }
        let predictions = jobs.reduce(0) { $0 + $1.predictions.count }
        print("\(out): \(experiment), \(jobs.count) jobs, \(samples.count) samples, \(predictions) predictions")
    }
}

/// `results import F`: an export stored in this coordinator, in batches; deduplicated by the
/// content keys, so importing twice or over a partly run sweep stores nothing twice.
struct ResultsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Store an exported experiment in this coordinator (content-keyed; safe to repeat).")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Export file (from `results export`).") var file: String
    @Option(help: "Largest request body to send, in MiB (the coordinator's --max-body-mib caps it).") var batchMib = 16

    func run() async throws {
        let export = try ExportFile.read(file)
        let admin = try client.adminClient()
        let samples = Dictionary(export.samples.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var totals = (created: 0, existing: 0, stored: 0, already: 0)
        var batch: [ResultsExport.Job] = []
        var batchBytes = 0
        func send() async throws {
            guard !batch.isEmpty else { return }
            var ids: [String] = []
            var seen = Set<String>()
            for job in batch { for id in job.spec.sampleIds where seen.insert(id).inserted { ids.append(id) } }
            let response = try await admin.importResults(ResultsExport.Batch(
                experiment: export.header.experiment, spec: export.header.spec,
                samples: ids.compactMap { samples[$0] }, jobs: batch))
            totals.created += response.jobsCreated
            totals.existing += response.jobsExisting
            totals.stored += response.predictionsStored
            totals.already += response.predictionsExisting
            batch = []
            batchBytes = 0
        }
        for job in export.jobs {
            let bytes = try JSONOutput.line(job).utf8.count
                + job.spec.sampleIds.reduce(0) { $0 + ((try? JSONOutput.line(samples[$1])) ?? "").utf8.count }
            if batchBytes + bytes > max(1, batchMib) << 20 { try await send() }
            batch.append(job)
            batchBytes += bytes
        }
        try await send()
        print("\(file) → \(export.header.experiment): jobs \(totals.created) new, \(totals.existing) already there; "
              + "predictions \(totals.stored) stored, \(totals.already) already there")
    }
}

/// Reading an export file, with line numbers in every error.
enum ExportFile {
    struct Contents {
        let header: ResultsExport.Header
        let samples: [ResultsExport.Sample]
        let jobs: [ResultsExport.Job]

        func results() throws -> ExperimentResults {
            try ResultsExport.results(header: header, samples: samples, jobs: jobs)
        }
    }

    static func read(_ path: String) throws -> Contents {
        let data = try Gzip.read(path)
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let first = lines.first else { throw CLIError("\(path): empty file") }
        func decode<T: Codable>(_ type: T.Type, _ line: Data.SubSequence, _ number: Int) throws -> T {
            do {
                return try StrictJSONDecoder.decode(type, from: Data(line))
            } catch {
                throw CLIError("\(path): line \(number): \(error)")
            }
        }
        let header = try decode(ResultsExport.Header.self, first, 1)
        guard header.format == ResultsExport.format else {
            throw CLIError("\(path): line 1: format is '\(header.format)', not a \(ResultsExport.format) export")
        }
        guard header.formatVersion <= ResultsExport.formatVersion else {
            throw CLIError("\(path): line 1: format_version \(header.formatVersion) is newer than this build reads (\(ResultsExport.formatVersion))")
        }
        guard lines.count == 1 + header.samples + header.jobs else {
            throw CLIError("\(path): the header promises \(header.samples) samples and \(header.jobs) jobs "
                           + "(\(1 + header.samples + header.jobs) lines) but the file has \(lines.count) lines (truncated?)")
        }
        var samples: [ResultsExport.Sample] = []
        var jobs: [ResultsExport.Job] = []
        for (index, line) in lines.enumerated().dropFirst() {
            if index <= header.samples {
                samples.append(try decode(ResultsExport.Sample.self, line, index + 1))
            } else {
                jobs.append(try decode(ResultsExport.Job.self, line, index + 1))
            }
        }
        return Contents(header: header, samples: samples, jobs: jobs)
    }
}
