import CKernels
import PolicySpec

/// A decoder model's weights. Matrices stay in their GGUF type, read in place from the mapped
/// file (`QuantMatrix`); only the small norm vectors are fp32. Projections that read the same
/// input are stacked row-wise (Q|K|V, gate|up) so each needs one product.
/// Matrices are row-major [out][in], as ggml stores them (shape[0] = in).
public final class ModelWeights: @unchecked Sendable {
    public struct Layer: @unchecked Sendable {
        public let attnNorm: FloatBuffer      // [dim]
        public let qkv: QuantMatrix           // [qDim + 2·kvDim][dim]
        public let attnOutput: QuantMatrix    // [dim][qDim]
        public let ffnNorm: FloatBuffer       // [dim]
        public let gateUp: QuantMatrix        // [2·ffnDim][dim]
        public let down: QuantMatrix          // [dim][ffnDim]
        /// Q|K|V biases [qDim + 2·kvDim], for architectures with attention bias.
        public let qkvBias: FloatBuffer?
        /// Per-head RMSNorm weights of Q and K [headDim], for architectures with QK-norm.
        public let queryNorm: FloatBuffer?
        public let keyNorm: FloatBuffer?

        var matrices: [QuantMatrix] { [qkv, attnOutput, gateUp, down] }
    }

    public let tokenEmbedding: QuantMatrix    // [vocab][dim]
    public let outputNorm: FloatBuffer        // [dim]
    /// Output projection [vocab][dim]; the embedding itself when tied.
    public let output: QuantMatrix
    public let tiedOutput: Bool
    public let layers: [Layer]
    /// Per-frequency divisors from `rope_freqs.weight` (llama 3.1 style scaling), if present.
    public let ropeFreqFactors: [Float]?

    /// Bytes of the weights as stored in the file (what a decode step reads).
    public var totalBytes: Int {
        var b = tokenEmbedding.bytes + outputNorm.bytes + (tiedOutput ? 0 : output.bytes)
        for l in layers {
            b += l.attnNorm.bytes + l.ffnNorm.bytes + l.matrices.reduce(0) { $0 + $1.bytes }
            b += [l.qkvBias, l.queryNorm, l.keyNorm].reduce(0) { $0 + ($1?.bytes ?? 0) }
        }
        return b
    }

    /// Bytes one decode step reads: every layer's weights and the output projection (an untied
    /// embedding is read one row a token, not counted).
    public var decodeBytes: Int { totalBytes - (tiedOutput ? 0 : tokenEmbedding.bytes) }

    /// The kernel each ggml type's products run, per type present: "Q4_K ×168: exact avx512
    /// packed groups; fast avx512-vnni int8 packed groups" (the output projection is fp32 in both
    /// modes).
    public func kernelSummary(variant: KernelVariant? = nil) -> [String] {
        var matrices = layers.flatMap(\.matrices)
        matrices.append(output)
        var tensors: [GGMLType: (count: Int, packed: Bool)] = [:]
        for m in matrices {
            for s in m.segments {
                guard let t = GGMLType(rawValue: UInt32(s.type)) else { continue }
                let seen = tensors[t] ?? (0, false)
                tensors[t] = (seen.count + 1, seen.packed || s.packed != nil)
            }
        }
        let code = Int32(variant?.code ?? -1)
        return tensors.sorted { $0.key.rawValue < $1.key.rawValue }.map { type, seen in
            func name(_ mode: ActivationPrecision) -> String {
                String(cString: pkv_product_kernel_name(Int32(type.rawValue), seen.packed ? 1 : 0, mode.code, code))
            }
            return "\(type.name) ×\(seen.count): exact \(name(.f32)); fast \(name(.int8))"
        }
    }

    /// fp32 floats needed to hold the largest layer dequantized (prefill's weight panel), less
    /// the matrices `skipping` leaves out of it.
    func largestLayerFloats(skipping: (QuantMatrix) -> Bool) -> Int {
        layers.map { $0.matrices.filter { !skipping($0) }.reduce(0) { $0 + $1.rows * $1.columns } }.max() ?? 0
    }

    public init(gguf: GGUFFile, config c: ModelConfig, architecture: any ModelArchitecture) throws {
        /// Vectors `names` end to end, in fp32.
        func vector(_ names: [(String, Int)]) throws -> FloatBuffer {
            let buf = FloatBuffer(count: names.reduce(0) { $0 + $1.1 })
            var offset = 0
            for (name, count) in names {
                let t = try gguf.tensor(name)
                try QuantMatrix.checkShape(t, expected: [count], file: gguf.path)
                Dequantize.into(buf.pointer + offset, from: gguf.data(of: t).baseAddress!, type: t.type, count: count)
                offset += count
            }
            return buf
        }
        func vector(_ name: String, count: Int) throws -> FloatBuffer { try vector([(name, count)]) }
        /// The tensors an architecture feature needs, or nil when it does not have the feature;
        /// a file carrying them for an architecture without it is refused, not half-run.
        func optional(_ enabled: Bool, _ names: [(String, Int)]) throws -> FloatBuffer? {
            if enabled { return try vector(names) }
            if let stray = names.first(where: { gguf.tensors[$0.0] != nil }) {
                throw GGUFError.invalidValue(file: gguf.path, field: stray.0,
                                             value: "present, but architecture \(architecture.name) does not use it")
            }
            return nil
        }
        func matrix(_ tensors: [(String, Int)], columns: Int) throws -> QuantMatrix {
            try QuantMatrix(gguf: gguf, tensors: tensors.map { (name: $0.0, rows: $0.1) }, columns: columns)
        }
        tokenEmbedding = try matrix([("token_embd.weight", c.vocabSize)], columns: c.dim)
        outputNorm = try vector("output_norm.weight", count: c.dim)
        if gguf.tensors["output.weight"] != nil {
            output = try matrix([("output.weight", c.vocabSize)], columns: c.dim)
            tiedOutput = false
        } else {
            output = tokenEmbedding
            tiedOutput = true
        }
        if gguf.tensors["rope_freqs.weight"] != nil {
            ropeFreqFactors = try vector("rope_freqs.weight", count: c.headDim / 2).toArray()
        } else {
            ropeFreqFactors = nil
        }
        var layers: [Layer] = []
        for i in 0..<c.layers {
            let p = "blk.\(i)."
            layers.append(Layer(
                attnNorm: try vector(p + "attn_norm.weight", count: c.dim),
                qkv: try matrix([(p + "attn_q.weight", c.qDim), (p + "attn_k.weight", c.kvDim), (p + "attn_v.weight", c.kvDim)],
                                columns: c.dim),
                attnOutput: try matrix([(p + "attn_output.weight", c.dim)], columns: c.qDim),
                ffnNorm: try vector(p + "ffn_norm.weight", count: c.dim),
                gateUp: try matrix([(p + "ffn_gate.weight", c.ffnDim), (p + "ffn_up.weight", c.ffnDim)], columns: c.dim),
                down: try matrix([(p + "ffn_down.weight", c.dim)], columns: c.ffnDim),
                qkvBias: try optional(architecture.hasAttentionBias,
                                      [(p + "attn_q.bias", c.qDim), (p + "attn_k.bias", c.kvDim), (p + "attn_v.bias", c.kvDim)]),
                queryNorm: try optional(architecture.hasQueryKeyNorm, [(p + "attn_q_norm.weight", c.headDim)]),
                keyNorm: try optional(architecture.hasQueryKeyNorm, [(p + "attn_k_norm.weight", c.headDim)])))
        }
        self.layers = layers
    }
}
