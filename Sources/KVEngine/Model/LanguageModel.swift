/// A loaded decoder model of a registered architecture (`ModelArchitectures`): configuration,
/// weights (in their GGUF types), tokenizer and chat template. Immutable, so one instance serves
/// many sessions.
public final class LanguageModel: @unchecked Sendable {
    public let path: String
    public let gguf: GGUFFile
    public let architecture: any ModelArchitecture
    public let config: ModelConfig
    public let weights: ModelWeights
    public let tokenizer: Tokenizer
    /// nil when the GGUF has no chat template or one of an unknown family.
    public let chatTemplate: ChatTemplate?
    let rotary: RotaryTable

    public init(path: String) throws {
        self.path = path
        try KernelRuntime.ensureConfigured()
        gguf = try GGUFFile(path: path)
        config = try ModelConfig(gguf: gguf)
        architecture = try ModelArchitectures.named(config.architecture, file: path)
        tokenizer = try Tokenizer(gguf: gguf)
        chatTemplate = try? ChatTemplate(gguf: gguf)
        weights = try ModelWeights(gguf: gguf, config: config, architecture: architecture)
        rotary = RotaryTable(config: config, freqFactors: weights.ropeFreqFactors)
        guard tokenizer.vocabSize == config.vocabSize else {
            throw GGUFError.invalidValue(file: path, field: "tokenizer.ggml.tokens",
                                         value: "\(tokenizer.vocabSize) tokens but token_embd.weight has \(config.vocabSize) rows")
        }
    }

    /// The chat template, or an error saying why there is none.
    public func requireChatTemplate() throws -> ChatTemplate { try ChatTemplate(gguf: gguf) }
}
