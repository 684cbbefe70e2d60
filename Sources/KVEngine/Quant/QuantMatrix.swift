import CKernels
import PolicySpec

/// A weight matrix kept in its GGUF block type. Quantized tensors (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0,
/// Q4_K, Q5_K, Q6_K) whose rows come 16 at a time are repacked at load, 16 rows interleaved block by block (`pkv_pack16`), into
/// memory of their own, and the file's pages they came from are given back: resident memory
/// stays the weights' size. Other types are read in place from the memory-mapped file.
/// Rows are [out][in] as ggml stores them; a matrix may stack several tensors row-wise
/// (Q|K|V, gate|up), each in its own type, so one product serves all of them.
public final class QuantMatrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    let segments: [pkv_qsegment]
    /// Keeps the mapping alive as long as the matrix is.
    private let file: GGUFFile
    /// The packed copies this matrix owns (one per packed segment).
    private let packedBuffers: [UnsafeMutableRawPointer]

    /// Stacks `tensors` (each ggml shape [columns, rows]) from `gguf`, checking every shape;
    /// `pack: false` keeps every segment in the file's layout.
    public init(gguf: GGUFFile, tensors: [(name: String, rows: Int)], columns: Int, pack: Bool = true) throws {
        var segments: [pkv_qsegment] = []
        var buffers: [UnsafeMutableRawPointer] = []
        for (name, rows) in tensors {
            let t = try gguf.tensor(name)
            try Self.checkShape(t, expected: [columns, rows], file: gguf.path)
            guard let rowBytes = t.type.byteCount(elements: columns) else {
                throw GGUFError.badTensorShape(file: gguf.path, tensor: name, expected: [columns, rows], found: t.shape)
            }
            let data = gguf.data(of: t).baseAddress!
            var packed: UnsafeRawPointer?
            if pack, pkv_pack_supported(Int32(t.type.rawValue), Int64(rows)) != 0 {
                let bytes = rows * rowBytes
                let buffer = PackedWeightBuffer.allocate(bytes: bytes)
                pkv_pack16(Int32(t.type.rawValue), data, Int64(rows), Int64(rowBytes), buffer)
                gguf.releasePages(of: data, count: bytes)
                buffers.append(buffer)
                packed = UnsafeRawPointer(buffer)
            }
            segments.append(pkv_qsegment(type: Int32(t.type.rawValue), rows: Int64(rows), row_bytes: Int64(rowBytes),
                                         data: data, packed: packed))
        }
        self.segments = segments
        self.packedBuffers = buffers
        self.rows = tensors.reduce(0) { $0 + $1.rows }
        self.columns = columns
        self.file = gguf
    }

    deinit { for b in packedBuffers { b.deallocate() } }

    /// Whether any segment is held packed.
    public var isPacked: Bool { !packedBuffers.isEmpty }

    /// Bytes of the weights as stored (what a product reads).
    public var bytes: Int { segments.reduce(0) { $0 + Int($1.rows * $1.row_bytes) } }

    /// y[rows] = W · x[columns], with the current kernel variant and activation precision
    /// (or the ones given).
    public func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, variant: KernelVariant? = nil,
                         activations: ActivationPrecision? = nil) {
        segments.withUnsafeBufferPointer {
            pkv_qmatvec($0.baseAddress!, Int32($0.count), Int64(columns), x, y, Int32(variant?.code ?? -1),
                        Int32(activations?.code ?? -1))
        }
    }

    /// Whether `multiplyRows` can run: every segment packed, of a type with int8 group kernels
    /// (Q5_0, Q5_1, Q4_K, Q5_K, Q6_K).
    public var hasInt8RowProducts: Bool {
        segments.withUnsafeBufferPointer { pkv_qgemm8_supported($0.baseAddress!, Int32($0.count), -1) != 0 }
    }

    /// Y[t][rows] = W · X[t] for `count` activation rows from int8 activations (fast mode's
    /// prefill): each row quantized per 32-block, exact integer block dots. Needs
    /// `hasInt8RowProducts`.
    public func multiplyRows(_ x: UnsafePointer<Float>, ldx: Int, count: Int, into y: UnsafeMutablePointer<Float>, ldy: Int,
                             variant: KernelVariant? = nil) {
        let done = segments.withUnsafeBufferPointer {
            pkv_qgemm8($0.baseAddress!, Int32($0.count), Int64(columns), x, Int64(ldx), Int64(count), y, Int64(ldy),
                       Int32(variant?.code ?? -1))
        }
        precondition(done != 0, "multiplyRows on a matrix without int8 row products")
    }

    /// The whole matrix in fp32, row-major [rows][columns], as ggml's reference dequantizes it.
    public func dequantize(into out: UnsafeMutablePointer<Float>) {
        segments.withUnsafeBufferPointer { pkv_qdequant($0.baseAddress!, Int32($0.count), Int64(columns), out) }
    }

    /// Row `r` in fp32 (an embedding lookup).
    public func row(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        var first = 0
        for s in segments {
            if r < first + Int(s.rows) {
                let type = GGMLType(rawValue: UInt32(s.type))!
                guard let packed = s.packed else {
                    Dequantize.into(out, from: s.data + (r - first) * Int(s.row_bytes), type: type, count: columns)
                    return
                }
                withUnsafeTemporaryAllocation(byteCount: Int(s.row_bytes), alignment: 16) { row in
                    pkv_unpack_row(s.type, packed, s.row_bytes, Int64(r - first), row.baseAddress!)
                    Dequantize.into(out, from: UnsafeRawPointer(row.baseAddress!), type: type, count: columns)
                }
                return
            }
            first += Int(s.rows)
        }
        preconditionFailure("row \(r) out of range 0..<\(rows)")
    }

    /// ggml drops trailing 1-dims inconsistently; shapes are compared without them.
    static func checkShape(_ t: GGUFTensorInfo, expected: [Int], file: String) throws {
        func trimmed(_ s: [Int]) -> [Int] { var s = s; while s.count > 1, s.last == 1 { s.removeLast() }; return s }
        guard trimmed(t.shape) == trimmed(expected) else {
            throw GGUFError.badTensorShape(file: file, tensor: t.name, expected: expected, found: t.shape)
        }
    }
}
