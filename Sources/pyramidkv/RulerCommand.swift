import ArgumentParser
import Foundation
import KVEngine
import KVEval

/// `pyramidkv ruler generate`: RULER's synthetic tasks as LongBench-format JSONL
/// (DIR/ruler_<task>.jsonl), ready for `submit longbench --datasets ruler_<task>`.
struct RulerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ruler", abstract: "RULER's synthetic tasks (NVIDIA/RULER), generated as RULER generates them.",
        subcommands: [RulerGenerateCommand.self])
}

struct RulerGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write DIR/ruler_<task>.jsonl in LongBench's record format.")

    @OptionGroup var model: ModelOptions
    @Option(help: "Comma list of tasks: \(RULERTasks.names.joined(separator: ", ")).") var tasks = "niah_single_1,vt"
    @Option(help: "RULER's max_seq_length (prompt + tokens to generate), counted with the model's tokenizer.")
    var maxSeqLength = 1024
    @Option(help: "Samples per task.") var samples = 10
    @Option(help: "RULER's random_seed.") var seed = 42
    @Option(help: "Questions per context (niah_multikey_1/2/3): each record is followed by k − 1 questions about other needles of its haystack (records <id>-q2 …), for `submit longbench --questions k`.")
    var questions = 1
    @Option(help: "Output directory.") var out: String

    func run() throws {
        let written = try RulerRecords.write(tasks: tasks, maxSeqLength: maxSeqLength, samples: samples, seed: seed,
                                             modelPath: try model.resolvedPath(), directory: out, questions: questions)
        for (task, count) in written { print("\(out)/ruler_\(task).jsonl: \(count) records") }
    }
}

/// Generates RULER records and writes them as JSONL (shared by `ruler generate` and the demo).
enum RulerRecords {
    static func generate(tasks: String, maxSeqLength: Int, samples: Int, seed: Int,
                         modelPath: String, questions: Int = 1) throws -> [(task: String, records: [LongBenchRecord])] {
        let names = tasks.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        if let unknown = names.first(where: { !RULERTasks.names.contains($0) }) {
            throw ValidationError("--tasks: unknown RULER task '\(unknown)'; known: \(RULERTasks.names.joined(separator: ", "))")
        }
        let tokenizer = try EngineTokenizer(modelPath: modelPath)
        let words = try RULERWordLists()
        let essays = names.contains(where: RULERTasks.essayNames.contains) ? try RULEREssayHaystack() : nil
        return try names.map { task in
            (task, try RULERTasks.generate(task: task, maxSeqLength: maxSeqLength, numSamples: samples, seed: seed,
                                           tokenizer: tokenizer, wordLists: words, essays: essays, questions: questions))
        }
    }

    static func write(tasks: String, maxSeqLength: Int, samples: Int, seed: Int, modelPath: String,
                      directory: String, questions: Int = 1) throws -> [(String, Int)] {
        let sets = try generate(tasks: tasks, maxSeqLength: maxSeqLength, samples: samples, seed: seed, modelPath: modelPath,
                                questions: questions)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [(String, Int)] = []
        for (task, records) in sets {
            var text = ""
            for record in records { text += try JSONOutput.line(record) + "\n" }
            let path = (directory as NSString).appendingPathComponent(RULERPrompt.datasetPrefix + task + ".jsonl")
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("cannot write \(path): \(error.localizedDescription)")
            }
            written.append((task, records.count))
        }
        return written
    }
}
