/// ggml tensor element types this engine can dequantize, with their block geometry.
public enum GGMLType: UInt32, Sendable, CaseIterable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8, q4_K = 12, q5_K = 13, q6_K = 14, bf16 = 30

    /// Elements per block.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: 32
        case .q4_K, .q5_K, .q6_K: 256
        }
    }

    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .f32: 4; case .f16, .bf16: 2
        case .q4_0: 18; case .q4_1: 20; case .q5_0: 22; case .q5_1: 24; case .q8_0: 34
        case .q4_K: 144; case .q5_K: 176; case .q6_K: 210
        }
    }

    public var name: String { "\(self)".uppercased() }

    /// Bytes needed for `count` elements, or nil when `count` is not a whole number of blocks.
    public func byteCount(elements count: Int) -> Int? {
        count % blockSize == 0 ? count / blockSize * blockBytes : nil
    }
}
