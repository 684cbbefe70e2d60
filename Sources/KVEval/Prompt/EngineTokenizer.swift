import KVEngine

/// The engine's llama.cpp-exact tokenizer and chat template behind `PromptTokenizer`, with the
/// HF conventions the reference scripts rely on: special-token texts are always parsed, BOS is
/// added by `encodeWithSpecial` only when the GGUF says `tokenizer.ggml.add_bos_token`, decoding
/// drops control tokens.
public struct EngineTokenizer: PromptTokenizer {
    public let tokenizer: Tokenizer
    public let template: ChatTemplate
    public let addBOS: Bool

    public init(tokenizer: Tokenizer, template: ChatTemplate, addBOS: Bool) {
        self.tokenizer = tokenizer; self.template = template; self.addBOS = addBOS
    }

    /// Loads both from a GGUF model file.
    public init(modelPath: String) throws {
        let gguf = try GGUFFile(path: modelPath)
        tokenizer = try Tokenizer(gguf: gguf)
        template = try ChatTemplate(gguf: gguf)
        addBOS = try gguf.optionalBool("tokenizer.ggml.add_bos_token") ?? false
    }

    public func encodeWithSpecial(_ text: String) -> [Int32] {
        let ids = tokenizer.encode(text, parseSpecial: true)
        if addBOS, let bos = tokenizer.bosID { return [bos] + ids }
        return ids
    }

    public func encodePlain(_ text: String) -> [Int32] { tokenizer.encode(text, parseSpecial: true) }

    public func decodeSkippingSpecial(_ ids: [Int32]) -> String { tokenizer.decode(ids, skipSpecial: true) }

    public var eosIDs: Set<Int32> { tokenizer.eosIDs }

    public func chat(user: String) -> String { template.render(user: user) }
}
