import Foundation
import KVEngine
import Testing
import TestSupport

/// The int8-activation kernels (decode's opt-in `--activations int8`): every variant computes
/// the same integer block dots as a double-precision model of the algorithm written here from
/// the block layouts, and stays near the fp32 product.
@Suite("int8-activation matrix-vector kernels")
struct QuantInt8KernelTests {
    /// x quantized per 32-block as the kernels do: d = max|x|/127, q = round-half-even(x/d).
    static func quantize(_ x: [Float]) -> (q: [Int], d: [Float]) {
        var q: [Int] = [], d: [Float] = []
        for b in 0..<(x.count / 32) {
            let block = x[(32 * b)..<(32 * b + 32)]
            let scale = block.map(abs).max()! / 127
            let inv: Float = scale > 0 ? 1 / scale : 0
            d.append(scale)
            q += block.map { max(-127, min(127, Int(($0 * inv).rounded(.toNearestOrEven)))) }
        }
        return (q, d)
    }

    static func f16(_ p: UnsafeRawBufferPointer, _ at: Int) -> Double {
        Double(Float(Float16(bitPattern: UInt16(p[at]) | UInt16(p[at + 1]) << 8)))
    }

    /// Row r of the model: Σ_blocks d_w·d_x·Σ(q_w·q_x) (Q4_0 nibbles less 8), plus m·d_x·Σq_x for
    /// Q4_1 (the min meets the quantized block's sum, in fp32 as the kernels form it);
    /// and Σ of the blocks' |terms|, the scale fp32 rounding of their sum is relative to.
    static func model(_ raw: UnsafeRawBufferPointer, type: GGMLType, row r: Int, columns n: Int, x: [Float]) -> (value: Double, magnitude: Double) {
        let (xq, dx) = quantize(x)
        let blockBytes = type.blockBytes, rowBytes = n / 32 * blockBytes
        var total = 0.0, magnitude = 0.0
        for b in 0..<(n / 32) {
            let at = r * rowBytes + b * blockBytes
            var dot = 0
            let xsum = Double(dx[b] * Float(xq[(32 * b)..<(32 * b + 32)].reduce(0, +)))
            switch type {
            case .q4_0, .q4_1:
                let qs = at + (type == .q4_0 ? 2 : 4)
                for j in 0..<16 {
                    let lo = Int(raw[qs + j] & 0x0f), hi = Int(raw[qs + j] >> 4)
                    let off = type == .q4_0 ? 8 : 0
                    dot += (lo - off) * xq[32 * b + j] + (hi - off) * xq[32 * b + j + 16]
                }
                total += f16(raw, at) * Double(dx[b]) * Double(dot)
                magnitude += abs(f16(raw, at) * Double(dx[b]) * Double(dot))
                if type == .q4_1 { total += f16(raw, at + 2) * xsum; magnitude += abs(f16(raw, at + 2) * xsum) }
            case .q8_0:
                for k in 0..<32 { dot += Int(Int8(bitPattern: raw[at + 2 + k])) * xq[32 * b + k] }
                total += f16(raw, at) * Double(dx[b]) * Double(dot)
                magnitude += abs(f16(raw, at) * Double(dx[b]) * Double(dot))
            default: preconditionFailure("no int8 kernel for \(type)")
            }
        }
        return (total, magnitude)
    }

    @Test("Q4_0, Q4_1 and Q8_0 on every variant match the integer model; near the fp32 product",
          arguments: [GGMLType.q4_0, .q4_1, .q8_0], QuantKernelTests.variants)
    func typeAndVariant(type: GGMLType, variant: KernelVariant) throws {
        let dir = try TemporaryDirectory()
        let rows = 67, columns = 576
        let f = try QuantKernelTests.randomGGUF([("w", type, rows)], columns: columns, seed: UInt64(type.rawValue) + 40, in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: rows)], columns: columns)
        var rng = SplitMix(seed: 17)
        // Activations with an outlier per block, as after RMSNorm.
        let x = (0..<columns).map { i in Float(rng.unit() * 2 - 1) * (i % 32 == 5 ? 8 : 1) }
        let raw = f.data(of: try f.tensor("w"))
        let worst = Self.compare(m, x: x, variant: variant) { Self.model(raw, type: type, row: $0, columns: columns, x: x) }
        #expect(worst.model < 1e-5, "\(type.name) \(variant.rawValue): \(worst.model) from the integer model")
        // The product is the dequantized weights times the quantized x, min terms included.
        #expect(worst.quantized < 1e-5, "\(type.name) \(variant.rawValue): \(worst.quantized) from the fp32 product on the quantized x")
        // Quantizing x costs at most half a step per element: a loose bound, not a fidelity claim.
        #expect(worst.exact < 0.05 * worst.scale, "\(type.name) \(variant.rawValue): \(worst.exact) from fp32 (rows up to \(worst.scale))")
    }

    /// `m` on x with int8 activations on `variant`, against `model` (row → its value and the sum
    /// of its terms' magnitudes), against the fp32 product on the quantized x (x̂ = d·q), and
    /// against the fp32 product: the worst distances from the model and from the product on x̂
    /// relative to that magnitude, the worst absolute distance from fp32, and fp32's largest row.
    static func compare(_ m: QuantMatrix, x: [Float], variant: KernelVariant,
                        model: (Int) -> (Double, Double)) -> (model: Double, quantized: Double, exact: Double, scale: Double) {
        let (q, d) = quantize(x)
        let xhat = q.indices.map { Float(q[$0]) * d[$0 / 32] }
        var y = [Float](repeating: .nan, count: m.rows), exact = y, onQuantized = y
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!, variant: variant, activations: .int8) }
            exact.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!, variant: variant, activations: .f32) }
        }
        xhat.withUnsafeBufferPointer { xp in
            onQuantized.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!, variant: variant, activations: .f32) }
        }
        var worstModel = 0.0, worstQuantized = 0.0, worstExact = 0.0, scale = 0.0
        for r in 0..<m.rows {
            let (e, magnitude) = model(r)
            worstModel = max(worstModel, abs(Double(y[r]) - e) / max(1e-6, magnitude))
            worstQuantized = max(worstQuantized, abs(Double(y[r]) - Double(onQuantized[r])) / max(1e-6, magnitude))
            worstExact = max(worstExact, abs(Double(y[r]) - Double(exact[r])))
            scale = max(scale, abs(Double(exact[r])))
        }
        return (worstModel, worstQuantized, worstExact, scale)
    }

    @Test("types without an int8 kernel stay fp32 under int8 activations, bit for bit")
    func otherTypesUnchanged() throws {
        let dir = try TemporaryDirectory()
        let f = try QuantKernelTests.randomGGUF([("w", .f16, 40), ("v", .q4_K, 8)], columns: 512, seed: 3, in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: 40), (name: "v", rows: 8)], columns: 512)
        let x = (0..<512).map { Float(($0 % 11) - 5) / 3 }
        var a = [Float](repeating: 0, count: 48), b = a
        x.withUnsafeBufferPointer { xp in
            a.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!, activations: .int8) }
            b.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!, activations: .f32) }
        }
        #expect(a == b)
    }
}
