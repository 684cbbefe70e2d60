/// Llama and its GGUF relatives (SmolLM2, Llama 2/3, Mistral-style GQA): adjacent-pair RoPE,
/// no attention biases.
public struct LlamaArchitecture: ModelArchitecture {
    public let name = "llama"
    public let rotaryPairing = RotaryPairing.adjacent
    public let hasAttentionBias = false
    public let hasQueryKeyNorm = false
}

/// Qwen2 / Qwen2.5: rotate-half RoPE and biases on Q, K and V.
public struct Qwen2Architecture: ModelArchitecture {
    public let name = "qwen2"
    public let rotaryPairing = RotaryPairing.halves
    public let hasAttentionBias = true
    public let hasQueryKeyNorm = false
}

/// Qwen3 (dense): rotate-half RoPE, per-head RMSNorm on Q and K, no biases.
public struct Qwen3Architecture: ModelArchitecture {
    public let name = "qwen3"
    public let rotaryPairing = RotaryPairing.halves
    public let hasAttentionBias = false
    public let hasQueryKeyNorm = true
}

/// The architectures this engine runs, keyed by `general.architecture`.
public enum ModelArchitectures {
    public static let registered: [any ModelArchitecture] = [LlamaArchitecture(), Qwen2Architecture(), Qwen3Architecture()]

    public static var names: [String] { registered.map(\.name) }

    /// The architecture a GGUF names, or an error naming the file, the field and the known values.
    public static func named(_ name: String, file: String) throws -> any ModelArchitecture {
        guard let architecture = registered.first(where: { $0.name == name }) else {
            throw GGUFError.invalidValue(file: file, field: "general.architecture",
                                         value: "\"\(name)\" (supported: \(names.joined(separator: ", ")))")
        }
        return architecture
    }
}
