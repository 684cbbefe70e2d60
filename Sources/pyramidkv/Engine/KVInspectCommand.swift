import ArgumentParser
import Foundation
import KVEngine
import PolicySpec

/// `pyramidkv kv-inspect`: what a policy keeps, per layer and head.
struct KVInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kv-inspect", abstract: "Show which prompt positions each layer and head keeps under a KV policy.")

    @OptionGroup var model: ModelOptions
    @Option(help: "File holding the prompt text.") var promptFile: String?
    @Option(help: "File holding a JSON array of token ids.") var promptIds: String?
    @OptionGroup var policy: PolicyOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (promptFile == nil) != (promptIds == nil) else { throw ValidationError("give exactly one of --prompt-file or --prompt-ids") }
    }

    struct Head: Encodable { let head: Int; let kept: [Int] }
    struct Layer: Encodable { let layer: Int; let budget: Int; let heads: [Head] }
    struct Report: Encodable {
        let promptTokens: Int
        let policy: BudgetedPolicy?
        let layers: [Layer]
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", policy, layers }
    }

    func run() throws {
        BLASSetup.ensureFastKernel()
        let llm = try model.load()
        let ids = try promptIds.map(GenerateCommand.readIDs)
            ?? llm.tokenizer.encode(try readTextFile(promptFile!, option: "--prompt-file"))
        let config = try policy.config()
        let session = InferenceSession(model: llm, layout: config?.layout ?? policy.resolvedLayout)
        let (_, selections) = try KVCompression.prefillAndCompress(session: session, ids: ids, policy: try config.flatMap(KVPolicies.make))
        let layers = session.cache.layers.enumerated().map { l, streams in
            Layer(layer: l, budget: selections.isEmpty ? ids.count : selections[l].budget,
                  heads: streams.enumerated().map { Head(head: $0, kept: $1.positions.map(Int.init)) })
        }
        let report = Report(promptTokens: ids.count, policy: config, layers: layers)
        if json { try JSONOutput.print(report) } else { printText(report, kvBytes: session.cache.bytes) }
    }

    /// Per layer: kept counts (min–max over heads) and a strip showing which tenths of the
    /// prompt the layer kept (█ most … ' ' none), so the pyramid is visible.
    func printText(_ r: Report, kvBytes: Int) {
        let name = r.policy.map { "\($0.name.rawValue) budget \($0.budget) window \($0.effectiveWindow) \($0.layout.rawValue)" } ?? "fullkv"
        print("\(name): \(r.promptTokens) prompt tokens, KV \(String(format: "%.2f", Double(kvBytes) / 1_048_576)) MiB")
        print("layer  budget  kept(min-max)  prompt segments 0%…100%")
        let bins = 20
        let shades: [Character] = [" ", "░", "▒", "▓", "█"]
        for layer in r.layers {
            let counts = layer.heads.map(\.kept.count)
            var hist = [Int](repeating: 0, count: bins)
            for h in layer.heads { for p in h.kept { hist[min(bins - 1, p * bins / max(r.promptTokens, 1))] += 1 } }
            let cap = Double(layer.heads.count) * Double(r.promptTokens) / Double(bins)
            let strip = String(hist.map { shades[min(4, Int((Double($0) / max(cap, 1) * 4).rounded(.up)))] })
            print(String(format: "%5d  %6d  %5d-%-6d  ", layer.layer, layer.budget, counts.min() ?? 0, counts.max() ?? 0) + "|\(strip)|")
        }
    }
}
