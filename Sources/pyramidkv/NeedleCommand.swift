import ArgumentParser
import TaskSpec
import Foundation
import KVEngine
import KVEval
import Assets

/// `pyramidkv needle …`: needle-in-a-haystack prompts and heatmaps.
struct NeedleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needle",
        abstract: "Needle-in-a-haystack prompts (KVCache-Factory's construction) and heatmaps.",
        subcommands: [NeedlePromptCommand.self, NeedleHeatmapCommand.self])
}

/// `pyramidkv needle prompt --length L --depth D [--haystack DIR] --json`
struct NeedlePromptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Token ids of one needle cell, built as KVCache-Factory's run_needle_in_haystack.py does (or inside the chat template).")

    @OptionGroup var model: ModelOptions
    @Option(help: "Context length in tokens (the grid's length).") var length: Int
    @Option(help: "Needle depth in percent, 0...100.") var depth: Int
    @Option(help: "Folder of .txt files (default: $PYRAMIDKV_HOME/haystack/PaulGrahamEssays).") var haystack: String?
    @Option(help: "Haystack is built to at least this many tokens, as the driver does for its largest grid length (default: --length).")
    var gridMaxLength: Int?
    @Option(help: "Prompt protocol: kvcache-factory or chat.") var `protocol` = NeedleProtocol.kvcacheFactory.rawValue
    @Option(help: "When the question enters the cache: aware (compressed with the prompt) or after-compression (the split is printed).")
    var question: QuestionTiming = .aware
    @Flag(help: "Print {\"ids\": [...], \"needle_span\": [start, end]} (end exclusive; with --question after-compression also \"question_start\").") var json = false

    func validate() throws {
        guard length > 0 else { throw ValidationError("--length must be positive (got \(length))") }
        guard (0...100).contains(depth) else { throw ValidationError("--depth must be 0...100 (got \(depth))") }
        guard NeedleProtocol(rawValue: `protocol`) != nil else {
            throw ValidationError("--protocol must be one of \(NeedleProtocol.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(`protocol`)')")
        }
    }

    func run() throws {
        let tok = try EngineTokenizer(modelPath: try model.resolvedPath())
        let dir = haystack ?? DefaultAssets.haystackDirectory
        let hay = try NeedleHaystack(directory: dir, minTokens: max(length, gridMaxLength ?? length), tokenizer: tok)
        let p = try NeedlePromptBuilder(tokenizer: tok, haystack: hay, protocol: NeedleProtocol(rawValue: `protocol`)!).build(length: length, depth: depth)
        let split = question == .afterCompression ? p.questionStart : nil
        if json {
            struct Out: Encodable { let ids: [Int32]; let needle_span: [Int]; let question_start: Int? }
            try JSONOutput.print(Out(ids: p.ids, needle_span: p.needleSpan, question_start: split))
        } else {
            print("length \(length) depth \(depth): \(p.ids.count) prompt tokens, needle at tokens \(p.needleSpan[0])..<\(p.needleSpan[1]) (haystack insertion point \(p.insertionPoint)), haystack \(hay.files.count) files")
            if let split {
                print("question after compression: tokens 0..<\(split) are prefilled and compressed (window = their tail), "
                      + "then \(p.ids.count - split) question tokens are prefilled into the compressed cache: "
                      + "\(tok.decodeSkippingSpecial(Array(p.ids[split...])).debugDescription)")
            }
        }
    }
}

/// `pyramidkv needle heatmap --input CELLS.jsonl [--svg OUT.svg] [--title MODEL]`
struct NeedleHeatmapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heatmap",
        abstract: "Render needle cell scores (JSONL: length|context_length, depth|depth_percent, score in [0,1] or model_response) as a terminal heatmap and optionally SVG.")

    @Option(help: "JSONL of cells.") var input: String
    @Option(help: "Write an SVG heatmap here.") var svg: String?
    @Option(help: "Model name for the title.") var title: String = DefaultAssets.modelFileName

    func run() throws {
        let text = try readTextFile(input, option: "--input")
        var scores: [NeedleScore] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let obj = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw InputError.badInput(option: "--input", value: "\(input):\(i + 1)", reason: "not a JSON object")
            }
            func number(_ keys: [String]) throws -> Double {
                for k in keys { if let n = obj[k] as? NSNumber { return n.doubleValue } }
                throw InputError.badInput(option: "--input", value: "\(input):\(i + 1)", reason: "missing \(keys.joined(separator: " or "))")
            }
            let length = Int(try number(["length", "context_length"]))
            let depthValue = try number(["depth", "depth_percent"])
            guard let depth = Int(exactly: depthValue) else {
                throw InputError.badInput(option: "--input", value: "\(input):\(i + 1)", reason: "depth \(depthValue) is not a whole percent")
            }
            let score: Double
            if let r = obj["model_response"] as? String { score = NeedleTexts.score(response: r) } else { score = try number(["score"]) }
            scores.append(NeedleScore(length: length, depth: depth, score: score))
        }
        let map = NeedleHeatmap(title: title, scores: scores)
        print(map.terminalRendering())
        if let svg {
            do { try map.svg().write(toFile: svg, atomically: true, encoding: .utf8) } catch {
                throw InputError.badInput(option: "--svg", value: svg, reason: "cannot write: \(error.localizedDescription)")
            }
        }
    }
}

extension QuestionTiming: ExpressibleByArgument {}
