import ArgumentParser
import Foundation
import KVEngine
import KVEval
import Assets

extension LongBenchProtocol.Preset: ExpressibleByArgument {}

/// `pyramidkv longbench …`: LongBench prompts and the synthetic demo set.
struct LongBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "longbench",
        abstract: "LongBench v1 prompts (pred.py / KVCache-Factory construction) and a synthetic demo set.",
        subcommands: [LongBenchPromptCommand.self, LongBenchSynthCommand.self])
}

/// `pyramidkv longbench prompt --data DIR --dataset NAME [--index I] [--preset P] [--max-length M] --json`
struct LongBenchPromptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt", abstract: "Token ids and generation settings of one LongBench record's prompt.")

    @OptionGroup var model: ModelOptions
    @Option(help: "Folder laid out as LongBench's data/ ({dataset}.jsonl, {dataset}_e.jsonl).") var data: String
    @Option(help: "Dataset name, e.g. hotpotqa.") var dataset: String
    @Flag(name: .customLong("e"), help: "Read the LongBench-E file ({dataset}_e.jsonl).") var longBenchE = false
    @Option(help: "0-based record index in the file.") var index: Int = 0
    @Option(help: "Protocol preset: longbench (official pred.py) or kvcache-factory.") var preset: LongBenchProtocol.Preset = .kvcacheFactory
    @Option(help: "Middle-truncation length in tokens (default: KVCache-Factory's for 8k Llama-family models such as the default model).")
    var maxLength: Int = LongBenchProtocol.defaultMaxLength
    @Flag(help: "Print the prompt as JSON.") var json = false

    func run() throws {
        let records = try LongBenchRecord.read(directory: data, dataset: dataset, longBenchE: longBenchE)
        guard records.indices.contains(index) else {
            throw ValidationError("--index \(index): \(dataset) has \(records.count) records")
        }
        let tok = try EngineTokenizer(modelPath: try model.resolvedPath())
        let builder = LongBenchPromptBuilder(config: try LongBenchConfig.bundled(),
                                             protocol: .init(preset: preset, maxLength: maxLength))
        let p = try builder.build(records[index], tokenizer: tok)
        if json {
            try JSONOutput.print(p)
        } else {
            print("\(p.dataset) \(p.id): \(p.ids.count) tokens (untruncated \(p.untruncatedLength)\(p.truncated ? ", middle-truncated" : "")), chat template \(p.chatTemplateApplied ? "on" : "off"), max_new_tokens \(p.maxNewTokens), stop \(p.stopIDs), min_new_tokens \(p.minNewTokens), preset \(p.protocolUsed.preset.rawValue)")
        }
    }
}

/// `pyramidkv longbench synth --out DIR [--haystack DIR] [--samples N] [--seed S]`
struct LongBenchSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a small SYNTHETIC LongBench-format set (passage_count, passage_retrieval_en) built from the haystack essays.")

    @Option(help: "Output folder (gets passage_count.jsonl, passage_retrieval_en.jsonl, SYNTHETIC.md).") var out: String
    @Option(help: "Folder of essay .txt files (default: $PYRAMIDKV_HOME/haystack/PaulGrahamEssays).") var haystack: String?
    @Option(help: "Records per task.") var samples: Int = 20
    @Option(help: "Paragraphs per passage_retrieval_en record.") var paragraphs: Int = 30
    @Option(help: "Random seed.") var seed: UInt64 = 20240601

    func run() throws {
        var opts = SyntheticLongBench.Options()
        opts.samplesPerTask = samples
        opts.retrievalParagraphs = paragraphs
        opts.seed = seed
        let gen = try SyntheticLongBench(haystackDirectory: haystack ?? DefaultAssets.haystackDirectory, options: opts)
        let sets = try gen.write(to: out)
        for (name, records) in sets.sorted(by: { $0.key < $1.key }) {
            let words = records.map(\.length)
            print("\(out)/\(name).jsonl: \(records.count) synthetic records, \(words.min() ?? 0)-\(words.max() ?? 0) words of context")
        }
    }
}
