import FleetCore
import Foundation

/// Reads LongBench inputs on the submitter's machine (the coordinator never opens a path from
/// a request): the config's prompts and lengths, and DATASET.jsonl records.
enum LongBenchFiles {
    static func protocols(configPath: String, datasets: [String]) throws(CLIError) -> [LongBenchDatasetProtocol] {
        guard let data = FileManager.default.contents(atPath: configPath),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let prompts = object["dataset2prompt"] as? [String: String],
              let lengths = object["dataset2maxlen"] as? [String: Int] else {
            throw CLIError("--config \(configPath): not a LongBench config with dataset2prompt and dataset2maxlen")
        }
        let noChat = Set(object["no_chat_template_datasets"] as? [String] ?? [])
        return try datasets.map { name throws(CLIError) in
            guard let prompt = prompts[name], let maxNewTokens = lengths[name] else {
                throw CLIError("--datasets: '\(name)' is not in \(configPath)")
            }
            return LongBenchDatasetProtocol(dataset: name, promptTemplate: prompt, maxNewTokens: maxNewTokens,
                                            applyChatTemplate: !noChat.contains(name),
                                            stop: name == "samsum" ? ["\n"] : [])
        }
    }

    /// The first `limit` records of DIR/DATASET.jsonl and the sha256 of the file.
    static func records(directory: String, dataset: String,
                        limit: Int?) throws(CLIError) -> (records: [SampleSpec], sha256: String) {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(dataset).jsonl").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("--data: cannot read \(path)")
        }
        var records: [SampleSpec] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            if let limit, records.count >= limit { break }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw CLIError("\(path):\(index + 1): not a JSON object")
            }
            records.append(SampleSpec(
                benchmark: .longbench, dataset: dataset, recordId: object["_id"] as? String,
                input: object["input"] as? String ?? "", context: object["context"] as? String ?? "",
                answers: object["answers"] as? [String] ?? [], allClasses: object["all_classes"] as? [String],
                recordLength: object["length"] as? Int))
        }
        return (records, ContentHash.sha256Hex(data))
    }
}
