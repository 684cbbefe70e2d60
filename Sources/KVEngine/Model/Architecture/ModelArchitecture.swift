/// What sets one decoder-only family apart in this engine. Every member shares the pre-norm
/// block (RMSNorm → attention → RMSNorm → SwiGLU) and the `{arch}.*` GGUF keys; an
/// architecture says how its rotary embedding pairs dimensions and which optional tensors its
/// attention carries. `ModelArchitectures` is the registry, keyed by `general.architecture`.
public protocol ModelArchitecture: Sendable {
    /// The GGUF's `general.architecture` value.
    var name: String { get }
    var rotaryPairing: RotaryPairing { get }
    /// Q, K and V projections add a bias (`blk.N.attn_{q,k,v}.bias`), as in Qwen2.
    var hasAttentionBias: Bool { get }
    /// Q and K are RMS-normalised per head before RoPE (`blk.N.attn_{q,k}_norm.weight`), as in Qwen3.
    var hasQueryKeyNorm: Bool { get }
}

/// Which dimensions of a head RoPE rotates together.
public enum RotaryPairing: String, Sendable, Codable {
    /// (2i, 2i+1), ggml's "normal" mode. llama.cpp's converter permutes llama's Q/K rows so that
    /// this equals transformers' rotate-half on the original weights.
    case adjacent
    /// (i, i + d/2), transformers' rotate-half on unpermuted weights (ggml's NEOX mode).
    case halves
}
