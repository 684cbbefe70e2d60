import FleetCore
import Foundation
import KVEval

/// Reads LongBench inputs on the submitter's machine (the coordinator never opens a path from
/// a request): the config's prompts and lengths, and DATASET.jsonl records.
enum LongBenchFiles {
    /// Each dataset's prompt, output length and chat rule: RULER datasets ("ruler_<task>") from
    /// RULER's templates, LongBench ones from `configPath` (default: the bundled LongBench config).
    static func protocols(configPath: String?, datasets: [String]) throws(CLIError) -> [LongBenchDatasetProtocol] {
        var table: (prompts: [String: String], lengths: [String: Int], noChat: Set<String>)?
        return try datasets.map { name throws(CLIError) in
            if let task = RULERPrompt.task(ofDataset: name) {
                do {
                    return LongBenchDatasetProtocol(dataset: name, promptTemplate: "{context}{input}",
                                                    maxNewTokens: try RULERPrompt.maxNewTokens(task: task),
                                                    applyChatTemplate: true, stop: [])
                } catch {
                    throw CLIError("--datasets: \(name): \(error)")
                }
            }
            if table == nil { table = try promptTable(configPath) }
            guard let prompt = table?.prompts[name], let maxNewTokens = table?.lengths[name] else {
                throw CLIError("--datasets: '\(name)' is not in \(configPath ?? "the bundled LongBench config") "
                               + "and is not a RULER dataset (ruler_<task>)")
            }
            return LongBenchDatasetProtocol(dataset: name, promptTemplate: prompt, maxNewTokens: maxNewTokens,
                                            applyChatTemplate: !(table?.noChat.contains(name) ?? false),
                                            stop: name == "samsum" ? ["\n"] : [])
        }
    }

    /// dataset2prompt, dataset2maxlen and no_chat_template_datasets of a config file, or of the
    /// bundled LongBench config when no path is given.
    static func promptTable(_ configPath: String?) throws(CLIError)
        -> (prompts: [String: String], lengths: [String: Int], noChat: Set<String>) {
        guard let configPath else {
            do {
                let bundled = try LongBenchConfig.bundled()
                return (bundled.prompt, bundled.maxNewTokens, bundled.noChatTemplate)
            } catch {
                throw CLIError("the bundled LongBench config: \(error)")
            }
        }
        guard let data = FileManager.default.contents(atPath: configPath),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let prompts = object["dataset2prompt"] as? [String: String],
              let lengths = object["dataset2maxlen"] as? [String: Int] else {
            throw CLIError("--config \(configPath): not a LongBench config with dataset2prompt and dataset2maxlen")
        }
        return (prompts, lengths, Set(object["no_chat_template_datasets"] as? [String] ?? []))
    }

    /// The first `limit` records of DIR/DATASET.jsonl, read by KVEval's LongBench reader (every
    /// official field checked, errors naming file, line and field), and the sha256 of the file.
    static func records(directory: String, dataset: String,
                        limit: Int?) throws(CLIError) -> (records: [SampleSpec], sha256: String) {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(dataset).jsonl").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("--data: cannot read \(path)")
        }
        let all: [LongBenchRecord]
        do { all = try LongBenchRecord.read(path: path) } catch { throw CLIError("--data: \(error)") }
        let records = all.prefix(limit ?? all.count).map { SampleSpec(record: $0, dataset: dataset) }
        return (Array(records), ContentHash.sha256Hex(data))
    }
}

extension SampleSpec {
    /// A LongBench-format record (LongBench, synthetic or RULER) as a sample, filed under
    /// `dataset` (default: the record's own), its follow-up fields (`questions: k`) included.
    init(record r: LongBenchRecord, dataset: String? = nil) {
        self.init(benchmark: .longbench, dataset: dataset ?? r.dataset, recordId: r.id, input: r.input, context: r.context,
                  answers: r.answers, allClasses: r.allClasses, recordLength: r.length,
                  questionIndex: r.questionIndex, leadContext: r.leadContext, leadInput: r.leadInput)
    }
}
