import Foundation
import KVEngine
import Testing
import TestSupport

/// Fast mode's int8 kernels on 16-row packed groups (Q5_0, Q5_1, Q4_K, Q5_K, Q6_K): every variant
/// computes the integer sub-block dots of a model written here from ggml's block layouts, and
/// prefill's row products (`multiplyRows`) give decode's products row for row.
@Suite("int8-activation packed-group kernels")
struct QuantInt8GroupKernelTests {
    static let types: [GGMLType] = [.q5_0, .q5_1, .q4_K, .q5_K, .q6_K]

    /// One block as integer quants and per sub-block scale and min: value = scale·q − min.
    struct BlockInts { var q: [Int]; var scale: [Double]; var min: [Double]; var sub: Int }

    static func f16(_ p: UnsafeRawBufferPointer, _ at: Int) -> Double {
        Double(Float(Float16(bitPattern: UInt16(p[at]) | UInt16(p[at + 1]) << 8)))
    }

    /// ggml's dequantize_row_* for these types, factored into integers and scales.
    static func ints(_ p: UnsafeRawBufferPointer, at a: Int, type: GGMLType) -> BlockInts {
        func byte(_ i: Int) -> Int { Int(p[a + i]) }
        switch type {
        case .q5_0, .q5_1:
            let withMin = type == .q5_1, h = withMin ? 4 : 2, qs = h + 4
            let qh = (0..<4).reduce(0) { $0 | byte(h + $1) << (8 * $1) }
            var q = [Int](repeating: 0, count: 32)
            for j in 0..<16 {
                q[j] = (byte(qs + j) & 15 | ((qh >> j) & 1) << 4) - (withMin ? 0 : 16)
                q[j + 16] = (byte(qs + j) >> 4 | ((qh >> (j + 16)) & 1) << 4) - (withMin ? 0 : 16)
            }
            return BlockInts(q: q, scale: [f16(p, a)], min: [withMin ? -f16(p, a + 2) : 0], sub: 32)
        case .q4_K, .q5_K:
            let five = type == .q5_K, d = f16(p, a), dmin = f16(p, a + 2), qs = five ? 48 : 16
            var q = [Int](repeating: 0, count: 256), scale: [Double] = [], mins: [Double] = []
            for c in 0..<4 {
                for l in 0..<32 {
                    let hb = five ? byte(16 + l) : 0
                    q[64 * c + l] = byte(qs + 32 * c + l) & 15 | ((hb >> (2 * c)) & 1) << 4
                    q[64 * c + 32 + l] = byte(qs + 32 * c + l) >> 4 | ((hb >> (2 * c + 1)) & 1) << 4
                }
            }
            for j in 0..<8 {
                let s = j < 4 ? byte(4 + j) & 63 : (byte(4 + j + 4) & 15) | (byte(4 + j - 4) >> 6) << 4
                let m = j < 4 ? byte(4 + j + 4) & 63 : (byte(4 + j + 4) >> 4) | (byte(4 + j) >> 6) << 4
                scale.append(d * Double(s))
                mins.append(dmin * Double(m))
            }
            return BlockInts(q: q, scale: scale, min: mins, sub: 32)
        default:  // Q6_K
            let d = f16(p, a + 208)
            var q = [Int](repeating: 0, count: 256)
            for t in 0..<2 {
                for l in 0..<32 {
                    let ql0 = byte(64 * t + l), ql1 = byte(64 * t + l + 32), qh = byte(128 + 32 * t + l)
                    q[128 * t + l] = (ql0 & 15 | (qh & 3) << 4) - 32
                    q[128 * t + l + 32] = (ql1 & 15 | ((qh >> 2) & 3) << 4) - 32
                    q[128 * t + l + 64] = (ql0 >> 4 | ((qh >> 4) & 3) << 4) - 32
                    q[128 * t + l + 96] = (ql1 >> 4 | ((qh >> 6) & 3) << 4) - 32
                }
            }
            let scale = (0..<16).map { d * Double(Int8(bitPattern: p[a + 192 + $0])) }
            return BlockInts(q: q, scale: scale, min: [Double](repeating: 0, count: 16), sub: 16)
        }
    }

    /// Row r of the model: Σ over sub-blocks of scale·d_x·Σ q·q_x − min·d_x·Σq_x (the quantized
    /// block's sum, in fp32 as the kernels form it; a sub-block with a min is a 32-block), and Σ of |terms|.
    static func model(_ raw: UnsafeRawBufferPointer, type: GGMLType, row r: Int, columns n: Int, x: [Float]) -> (Double, Double) {
        let (xq, dx) = QuantInt8KernelTests.quantize(x)
        let rowBytes = n / type.blockSize * type.blockBytes
        var total = 0.0, magnitude = 0.0
        for i in 0..<(n / type.blockSize) {
            let b = ints(raw, at: r * rowBytes + i * type.blockBytes, type: type)
            for s in 0..<(type.blockSize / b.sub) {
                let e0 = i * type.blockSize + s * b.sub
                let dot = (0..<b.sub).reduce(0) { $0 + b.q[s * b.sub + $1] * xq[e0 + $1] }
                let xsum = Double(dx[e0 / 32] * Float((0..<b.sub).reduce(0) { $0 + xq[e0 + $1] }))
                let term = b.scale[s] * Double(dx[e0 / 32]) * Double(dot), minTerm = b.min[s] * xsum
                total += term - minTerm
                magnitude += abs(term) + abs(minTerm)
            }
        }
        return (total, magnitude)
    }

    static func activations(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { i in Float(rng.unit() * 2 - 1) * (i % 32 == 5 ? 8 : 1) }  // an outlier per block
    }

    @Test("every type and variant matches the integer model; near the fp32 product",
          arguments: QuantInt8GroupKernelTests.types, QuantKernelTests.variants)
    func typeAndVariant(type: GGMLType, variant: KernelVariant) throws {
        let dir = try TemporaryDirectory()
        let rows = 48, columns = type.blockSize == 256 ? 768 : 576
        let f = try QuantKernelTests.randomGGUF([("w", type, rows)], columns: columns, seed: UInt64(type.rawValue) + 70, in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: rows)], columns: columns)
        #expect(m.isPacked && m.hasInt8RowProducts)
        let x = Self.activations(columns, seed: 21)
        let raw = f.data(of: try f.tensor("w"))
        let worst = QuantInt8KernelTests.compare(m, x: x, variant: variant) { Self.model(raw, type: type, row: $0, columns: columns, x: x) }
        #expect(worst.model < 1e-5, "\(type.name) \(variant.rawValue): \(worst.model) from the integer model")
        // The product is the dequantized weights times the quantized x, min terms included.
        #expect(worst.quantized < 1e-5, "\(type.name) \(variant.rawValue): \(worst.quantized) from the fp32 product on the quantized x")
        #expect(worst.exact < 0.05 * worst.scale, "\(type.name) \(variant.rawValue): \(worst.exact) from fp32 (rows up to \(worst.scale))")
    }

    @Test("prefill's row products equal decode's product of each row, bit for bit",
          arguments: QuantInt8GroupKernelTests.types, QuantKernelTests.variants)
    func rowProducts(type: GGMLType, variant: KernelVariant) throws {
        let dir = try TemporaryDirectory()
        let columns = type.blockSize == 256 ? 512 : 320
        let f = try QuantKernelTests.randomGGUF([("a", type, 32), ("b", type, 64)], columns: columns, seed: UInt64(type.rawValue) + 90, in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "a", rows: 32), (name: "b", rows: 64)], columns: columns)
        let count = 7, ldx = columns + 3, ldy = m.rows + 5  // 4 rows at a time, then 3 one by one
        let x = Self.activations(count * ldx, seed: 5)
        var y = [Float](repeating: .nan, count: count * ldy)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { m.multiplyRows(xp.baseAddress!, ldx: ldx, count: count, into: $0.baseAddress!, ldy: ldy, variant: variant) }
        }
        for t in 0..<count {
            var one = [Float](repeating: .nan, count: m.rows)
            x.withUnsafeBufferPointer { xp in
                one.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress! + t * ldx, into: $0.baseAddress!, variant: variant, activations: .int8) }
            }
            #expect(Array(y[(t * ldy)..<(t * ldy + m.rows)]) == one, "\(type.name) \(variant.rawValue) row \(t)")
        }
    }

    @Test("row products are offered only where every segment is packed with an int8 kernel")
    func rowProductRule() throws {
        let dir = try TemporaryDirectory()
        let f = try QuantKernelTests.randomGGUF([("k", .q4_K, 32), ("q", .q4_1, 32), ("s", .q6_K, 8)], columns: 256, seed: 4, in: dir)
        #expect(try QuantMatrix(gguf: f, tensors: [(name: "k", rows: 32)], columns: 256).hasInt8RowProducts)
        #expect(try !QuantMatrix(gguf: f, tensors: [(name: "k", rows: 32), (name: "q", rows: 32)], columns: 256).hasInt8RowProducts)
        #expect(try !QuantMatrix(gguf: f, tensors: [(name: "s", rows: 8)], columns: 256).hasInt8RowProducts)
        #expect(try !QuantMatrix(gguf: f, tensors: [(name: "k", rows: 32)], columns: 256, pack: false).hasInt8RowProducts)
    }
}
