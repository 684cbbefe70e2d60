import ArgumentParser
import Foundation
import KVEngine
import PolicySpec

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Greedy generation from a prompt.")

    @OptionGroup var model: ModelOptions
    @Option(help: "Prompt text.") var prompt: String?
    @Option(help: "File holding the prompt text.") var promptFile: String?
    @Option(help: "File holding a JSON array of token ids, fed as they are.") var promptIds: String?
    @Flag(help: "Wrap the prompt in the model's chat template (user turn + generation prompt).") var chat = false
    @Option(help: "Maximum number of new tokens.") var maxNewTokens = 128
    @Option(help: "Report the top-K logits of the first generated position.") var topLogits = 0
    @Option(help: "Stop when the text contains this string (repeatable).") var stop: [String] = []
    @OptionGroup var policy: PolicyOptions
    @Option(help: "KV cache element type once a layer is prefilled: f32 (default, for fidelity) or f16.") var kvDtype: KVDType = .f32
    @Option(help: "Decode's matrix-vector activations: f32 (exact) or int8 (per-block quantized, as llama.cpp). Default: PYRAMIDKV_ACTIVATIONS, else the engine's default.")
    var activations: ActivationPrecision?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard [prompt, promptFile, promptIds].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --prompt, --prompt-file or --prompt-ids")
        }
        guard maxNewTokens >= 0 else { throw ValidationError("--max-new-tokens must be ≥ 0 (got \(maxNewTokens))") }
        guard topLogits >= 0 else { throw ValidationError("--top-logits must be ≥ 0 (got \(topLogits))") }
        if chat && promptIds != nil { throw ValidationError("--chat applies to text prompts, not --prompt-ids") }
    }

    func run() throws {
        BLASSetup.ensureFastKernel()
        let llm = try model.load()
        if let activations { KernelRuntime.activations = activations }
        let ids: [Int32]
        if let promptIds {
            ids = try Self.readIDs(promptIds)
        } else {
            var text = try prompt ?? readTextFile(promptFile!, option: "--prompt-file")
            if chat { text = try llm.requireChatTemplate().render(user: text) }
            ids = llm.tokenizer.encode(text, parseSpecial: chat)
        }
        let result = try Generator(model: llm).generate(
            GenerationRequest(promptIDs: ids, maxNewTokens: maxNewTokens, stopStrings: stop, topLogits: topLogits,
                              policy: try policy.config(), layout: policy.resolvedLayout, kvDType: kvDtype))
        if json { try JSONOutput.print(result) } else { print(result.text) }
    }

    static func readIDs(_ path: String) throws -> [Int32] {
        let text = try readTextFile(path, option: "--prompt-ids")
        guard let ids = try? JSONDecoder().decode([Int32].self, from: Data(text.utf8)) else {
            throw InputError.badInput(option: "--prompt-ids", value: path, reason: "expected a JSON array of integer token ids")
        }
        return ids
    }
}

