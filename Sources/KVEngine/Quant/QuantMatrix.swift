import CKernels

/// A weight matrix kept in its GGUF block type, read in place from the memory-mapped file:
/// resident memory is the file's pages, shared by every process that maps the same model.
/// Rows are [out][in] as ggml stores them; a matrix may stack several tensors row-wise
/// (Q|K|V, gate|up), each in its own type, so one product serves all of them.
public final class QuantMatrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    let segments: [pkv_qsegment]
    /// Keeps the mapping alive as long as the matrix is.
    private let file: GGUFFile

    /// Stacks `tensors` (each ggml shape [columns, rows]) from `gguf`, checking every shape.
    public init(gguf: GGUFFile, tensors: [(name: String, rows: Int)], columns: Int) throws {
        var segments: [pkv_qsegment] = []
        for (name, rows) in tensors {
            let t = try gguf.tensor(name)
            try Self.checkShape(t, expected: [columns, rows], file: gguf.path)
            guard let rowBytes = t.type.byteCount(elements: columns) else {
                throw GGUFError.badTensorShape(file: gguf.path, tensor: name, expected: [columns, rows], found: t.shape)
            }
            segments.append(pkv_qsegment(type: Int32(t.type.rawValue), rows: Int64(rows), row_bytes: Int64(rowBytes),
                                         data: gguf.data(of: t).baseAddress!))
        }
        self.segments = segments
        self.rows = tensors.reduce(0) { $0 + $1.rows }
        self.columns = columns
        self.file = gguf
    }

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
                Dequantize.into(out, from: s.data + (r - first) * Int(s.row_bytes), type: type, count: columns)
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
