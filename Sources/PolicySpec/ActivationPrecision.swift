/// The engine's numerics mode: what the weight products multiply the weights with.
/// `f32` (exact, the reference) widens each weight block to fp32: dequantize-then-multiply up to
/// summation order. `int8` (fast) quantizes the activations per 32-block (as llama.cpp does) and
/// takes exact integer block dots wherever the weights' type has int8 kernels, but for the
/// output projection, which stays fp32 (the logits are what is measured). Outputs differ
/// between the modes, so a job's mode is part of its key and of its results' hardware record.
public enum ActivationPrecision: String, Codable, Sendable, CaseIterable, PolicyVocabulary {
    case f32, int8

    public static let noun = "activations"
    public init(from decoder: any Decoder) throws { self = try Self.decodeVocabulary(from: decoder) }
}
