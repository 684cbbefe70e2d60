/// A llama model's weights, dequantized to fp32 at load. Projections that read the same input
/// are fused row-wise (Q|K|V, gate|up) so each needs one GEMM.
/// Matrices are row-major [out][in], as ggml stores them (shape[0] = in).
public final class LlamaWeights: @unchecked Sendable {
    public struct Layer: @unchecked Sendable {
        public let attnNorm: FloatBuffer      // [dim]
        public let qkv: FloatBuffer           // [qDim + 2·kvDim][dim]
        public let attnOutput: FloatBuffer    // [dim][qDim]
        public let ffnNorm: FloatBuffer       // [dim]
        public let gateUp: FloatBuffer        // [2·ffnDim][dim]
        public let down: FloatBuffer          // [dim][ffnDim]
    }

    public let tokenEmbedding: FloatBuffer    // [vocab][dim]
    public let outputNorm: FloatBuffer        // [dim]
    /// Output projection [vocab][dim]; the embedding itself when tied.
    public let output: FloatBuffer
    public let tiedOutput: Bool
    public let layers: [Layer]
    /// Per-frequency divisors from `rope_freqs.weight` (llama 3.1 style scaling), if present.
    public let ropeFreqFactors: [Float]?

    public var totalBytes: Int {
        var b = tokenEmbedding.bytes + outputNorm.bytes + (tiedOutput ? 0 : output.bytes)
        for l in layers { b += l.attnNorm.bytes + l.qkv.bytes + l.attnOutput.bytes + l.ffnNorm.bytes + l.gateUp.bytes + l.down.bytes }
        return b
    }

    public init(gguf: GGUFFile, config c: LlamaConfig) throws {
        func load(_ name: String, shape: [Int]) throws -> FloatBuffer {
            let buf = FloatBuffer(count: shape.reduce(1, *))
            try Self.fill(buf.pointer, gguf: gguf, name: name, shape: shape)
            return buf
        }
        func fused(_ parts: [(String, [Int])]) throws -> FloatBuffer {
            let total = parts.reduce(0) { $0 + $1.1.reduce(1, *) }
            let buf = FloatBuffer(count: total)
            var offset = 0
            for (name, shape) in parts {
                try Self.fill(buf.pointer + offset, gguf: gguf, name: name, shape: shape)
                offset += shape.reduce(1, *)
            }
            return buf
        }
        tokenEmbedding = try load("token_embd.weight", shape: [c.dim, c.vocabSize])
        outputNorm = try load("output_norm.weight", shape: [c.dim])
        if gguf.tensors["output.weight"] != nil {
            output = try load("output.weight", shape: [c.dim, c.vocabSize])
            tiedOutput = false
        } else {
            output = tokenEmbedding
            tiedOutput = true
        }
        if gguf.tensors["rope_freqs.weight"] != nil {
            ropeFreqFactors = try load("rope_freqs.weight", shape: [c.headDim / 2]).toArray()
        } else {
            ropeFreqFactors = nil
        }
        var layers: [Layer] = []
        for i in 0..<c.layers {
            let p = "blk.\(i)."
            layers.append(Layer(
                attnNorm: try load(p + "attn_norm.weight", shape: [c.dim]),
                qkv: try fused([(p + "attn_q.weight", [c.dim, c.qDim]),
                                (p + "attn_k.weight", [c.dim, c.kvDim]),
                                (p + "attn_v.weight", [c.dim, c.kvDim])]),
                attnOutput: try load(p + "attn_output.weight", shape: [c.qDim, c.dim]),
                ffnNorm: try load(p + "ffn_norm.weight", shape: [c.dim]),
                gateUp: try fused([(p + "ffn_gate.weight", [c.dim, c.ffnDim]),
                                   (p + "ffn_up.weight", [c.dim, c.ffnDim])]),
                down: try load(p + "ffn_down.weight", shape: [c.ffnDim, c.dim])))
        }
        self.layers = layers
    }

    /// Dequantizes tensor `name` into `out` after checking its shape (ggml order).
    static func fill(_ out: UnsafeMutablePointer<Float>, gguf: GGUFFile, name: String, shape: [Int]) throws {
        let t = try gguf.tensor(name)
        // ggml drops trailing 1-dims inconsistently; compare without them.
        func trimmed(_ s: [Int]) -> [Int] { var s = s; while s.count > 1, s.last == 1 { s.removeLast() }; return s }
        guard trimmed(t.shape) == trimmed(shape) else {
            throw GGUFError.badTensorShape(file: gguf.path, tensor: name, expected: shape, found: t.shape)
        }
        Dequantize.into(out, from: gguf.data(of: t).baseAddress!, type: t.type, count: t.elementCount)
    }
}
