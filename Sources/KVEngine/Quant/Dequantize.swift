import CKernels

/// Dequantizes ggml blocks to fp32 (reference semantics of ggml's `dequantize_row_*`).
public enum Dequantize {
    /// Converts `count` elements of `type` from `source` into a new fp32 array.
    public static func toFloat(_ source: UnsafeRawBufferPointer, type: GGMLType, count: Int) -> [Float] {
        precondition(type.byteCount(elements: count) ?? -1 <= source.count, "source too small for \(count) \(type.name) elements")
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            into(out.baseAddress!, from: source.baseAddress!, type: type, count: count)
            initialized = count
        }
    }

    /// Converts into caller-owned memory (used at model load to fill fused weight matrices).
    public static func into(_ out: UnsafeMutablePointer<Float>, from src: UnsafeRawPointer, type: GGMLType, count: Int) {
        let n = Int64(count)
        switch type {
        case .f32: pkv_dequant_f32(src, out, n)
        case .f16: pkv_dequant_f16(src, out, n)
        case .bf16: pkv_dequant_bf16(src, out, n)
        case .q4_0: pkv_dequant_q4_0(src, out, n)
        case .q4_1: pkv_dequant_q4_1(src, out, n)
        case .q5_0: pkv_dequant_q5_0(src, out, n)
        case .q5_1: pkv_dequant_q5_1(src, out, n)
        case .q8_0: pkv_dequant_q8_0(src, out, n)
        case .q4_K: pkv_dequant_q4_k(src, out, n)
        case .q5_K: pkv_dequant_q5_k(src, out, n)
        case .q6_K: pkv_dequant_q6_k(src, out, n)
        }
    }
}
