/// Renders one user message with the generation prompt, for the chat-template families this
/// engine recognises in `tokenizer.chat_template`. The result is tokenized with special tokens.
public struct ChatTemplate: Sendable, Equatable {
    public enum Family: String, Sendable, Codable {
        case chatML = "chatml"      // SmolLM2, Qwen
        case llama3 = "llama3"      // <|start_header_id|> headers
        case mistral = "mistral"    // [INST] … [/INST]
    }

    public let family: Family
    /// The system message the template inserts when none is given (ChatML families).
    public let defaultSystem: String?
    public let bosText: String

    public init(family: Family, defaultSystem: String? = nil, bosText: String = "") {
        self.family = family
        self.defaultSystem = defaultSystem
        self.bosText = bosText
    }

    public init(gguf: GGUFFile) throws {
        guard let source = try gguf.optionalString("tokenizer.chat_template") else {
            throw GGUFError.missingKey(file: gguf.path, key: "tokenizer.chat_template")
        }
        let tokens = try? gguf.stringArray("tokenizer.ggml.tokens")
        let bos = (try? gguf.optionalInt("tokenizer.ggml.bos_token_id")).flatMap { $0 }.flatMap { id in tokens.flatMap { id < $0.count ? $0[id] : nil } }
        guard let t = ChatTemplate(detecting: source, bosText: bos ?? "") else {
            throw GGUFError.invalidValue(file: gguf.path, field: "tokenizer.chat_template",
                                         value: "of an unknown family (recognised: ChatML, Llama-3, Mistral [INST]); pass --no-chat")
        }
        self = t
    }

    /// Detects the family from the Jinja source; nil if it is none this engine knows.
    public init?(detecting source: String, bosText: String = "") {
        if source.contains("<|im_start|>") {
            self.init(family: .chatML, defaultSystem: Self.chatMLDefaultSystem(in: source), bosText: bosText)
        } else if source.contains("<|start_header_id|>") {
            self.init(family: .llama3, bosText: bosText.isEmpty ? "<|begin_of_text|>" : bosText)
        } else if source.contains("[INST]") {
            self.init(family: .mistral, bosText: bosText.isEmpty ? "<s>" : bosText)
        } else {
            return nil
        }
    }

    /// The prompt text for one user turn followed by the assistant's generation prompt.
    public func render(user: String) -> String {
        switch family {
        case .chatML:
            let system = defaultSystem.map { "<|im_start|>system\n\($0)<|im_end|>\n" } ?? ""
            return system + "<|im_start|>user\n\(user)<|im_end|>\n<|im_start|>assistant\n"
        case .llama3:
            return "\(bosText)<|start_header_id|>user<|end_header_id|>\n\n\(user)<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        case .mistral:
            return "\(bosText)[INST] \(user) [/INST]"
        }
    }

    /// Finds a literal default system message such as
    /// `{{ '<|im_start|>system\nYou are …<|im_end|>\n' }}` (newline literal or escaped).
    static func chatMLDefaultSystem(in source: String) -> String? {
        for marker in ["'<|im_start|>system\n", "'<|im_start|>system\\n"] {
            guard let start = source.range(of: marker) else { continue }
            let rest = source[start.upperBound...]
            guard let end = rest.range(of: "<|im_end|>") else { continue }
            let body = String(rest[..<end.lowerBound])
            // A Jinja expression (e.g. "+ message['content']") is not a literal default.
            if body.contains("'") || body.contains("{") { continue }
            return body.replacingOccurrences(of: "\\n", with: "\n")
        }
        return nil
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
