/// Hyper-parameters of a decoder model, read from GGUF metadata (`{arch}.*` keys, which every
/// registered architecture shares).
public struct ModelConfig: Sendable, Equatable, Codable {
    /// `general.architecture`: a name `ModelArchitectures` knows.
    public var architecture: String
    public var layers: Int
    public var dim: Int
    public var ffnDim: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var ropeDim: Int
    public var ropeTheta: Float
    /// Linear RoPE scaling factor (positions are divided by it); 1 when absent.
    public var ropeLinearScale: Float
    public var rmsEps: Float
    public var contextLength: Int
    public var vocabSize: Int

    public var groupSize: Int { heads / kvHeads }
    public var qDim: Int { heads * headDim }
    public var kvDim: Int { kvHeads * headDim }

    public init(gguf: GGUFFile) throws {
        let f = gguf.path
        let arch = try ModelArchitectures.named(try gguf.string("general.architecture"), file: f).name
        architecture = arch
        layers = try gguf.int("\(arch).block_count")
        dim = try gguf.int("\(arch).embedding_length")
        ffnDim = try gguf.int("\(arch).feed_forward_length")
        heads = try gguf.int("\(arch).attention.head_count")
        kvHeads = try gguf.optionalInt("\(arch).attention.head_count_kv") ?? heads
        guard heads > 0, kvHeads > 0, heads % kvHeads == 0, dim % heads == 0 else {
            throw GGUFError.invalidValue(file: f, field: "\(arch).attention.head_count/head_count_kv",
                                         value: "\(heads)/\(kvHeads) with embedding_length \(dim)")
        }
        headDim = try gguf.optionalInt("\(arch).attention.key_length") ?? dim / heads
        ropeDim = try gguf.optionalInt("\(arch).rope.dimension_count") ?? headDim
        guard ropeDim == headDim, headDim % 2 == 0 else {
            throw GGUFError.invalidValue(file: f, field: "\(arch).rope.dimension_count",
                                         value: "\(ropeDim) (partial rotary embeddings are not supported; head dim \(headDim))")
        }
        ropeTheta = Float(try gguf.optionalDouble("\(arch).rope.freq_base") ?? 10_000)
        rmsEps = Float(try gguf.optionalDouble("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-5)
        contextLength = try gguf.optionalInt("\(arch).context_length") ?? 4096
        let scalingType = try gguf.optionalString("\(arch).rope.scaling.type") ?? "none"
        switch scalingType {
        case "none": ropeLinearScale = 1
        case "linear":
            ropeLinearScale = Float(try gguf.optionalDouble("\(arch).rope.scaling.factor") ?? 1)
        default:
            throw GGUFError.invalidValue(file: f, field: "\(arch).rope.scaling.type", value: "\"\(scalingType)\" (supported: none, linear)")
        }
        vocabSize = try gguf.tensor("token_embd.weight").shape.last ?? 0
    }
}
