import ArgumentParser
import KVEval

extension ScoreReportFormat: ExpressibleByArgument {}

/// `pyramidkv score`: re-score LongBench / KVCache-Factory prediction files with LongBench's
/// metrics (first-line rule, max over answers, round(100·mean, 2), averages).
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score LongBench prediction files (JSONL with pred, answers, all_classes, dataset[, length, _id]).")

    @Option(name: .long, help: "Prediction file (JSONL). Repeat for several files.")
    var input: [String]

    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: ScoreReportFormat = .table

    @Flag(name: .long, help: "Shorthand for --format json.")
    var json = false

    @Flag(name: .customLong("longbench-e"), help: "Also score LongBench-E length buckets (0-4k, 4-8k, 8k+); needs `length`.")
    var longBenchE = false

    func validate() throws {
        if input.isEmpty { throw ValidationError("give at least one --input FILE.jsonl") }
    }

    func run() throws {
        let report = try LongBenchScorer.score(files: input, longBenchE: longBenchE)
        print((json ? .json : format).render(report), terminator: "")
    }
}
