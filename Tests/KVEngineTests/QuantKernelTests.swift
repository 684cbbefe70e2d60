import Foundation
import Synchronization
import KVEngine
import Testing
import TestSupport

/// Issue 11: the matrix-vector kernels on weights in their GGUF type, every type × every
/// variant this CPU runs, against dequantize-then-multiply in double precision.
@Suite("Quantized matrix-vector kernels")
struct QuantKernelTests {
    /// A GGUF file holding `tensors` (name, type, rows) of random valid blocks, `columns` wide.
    static func randomGGUF(_ tensors: [(String, GGMLType, Int)], columns: Int, seed: UInt64, in dir: TemporaryDirectory) throws -> GGUFFile {
        var rng = SplitMix(seed: seed)
        var w = GGUFTestWriter()
        w.header(tensors: UInt64(tensors.count), kvs: 0)
        var payloads: [[UInt8]] = []
        var offset: UInt64 = 0
        for (name, type, rows) in tensors {
            let blocks = rows * columns / type.blockSize
            var bytes: [UInt8] = []
            for _ in 0..<blocks { bytes += randomBlock(type, &rng) }
            w.tensorInfo(name, shape: [UInt64(columns), UInt64(rows)], type: type.rawValue, offset: offset)
            offset += UInt64(bytes.count)
            offset = (offset + 31) / 32 * 32
            payloads.append(bytes)
        }
        w.pad(to: 32)
        for p in payloads {
            w.bytes += p
            w.pad(to: 32)
        }
        let path = dir.path("w-\(seed).gguf")
        try w.write(to: path)
        return try GGUFFile(path: path)
    }

    /// Random bytes with every f16 scale field set to a finite value, so no block is NaN.
    static func randomBlock(_ type: GGMLType, _ rng: inout SplitMix) -> [UInt8] {
        func f16(_ v: Float) -> [UInt8] { let h = Float16(v).bitPattern; return [UInt8(h & 0xff), UInt8(h >> 8)] }
        func scale() -> [UInt8] { f16(Float(rng.unit() * 0.02 + 0.001) * (rng.unit() < 0.5 ? -1 : 1)) }
        var b = (0..<type.blockBytes).map { _ in UInt8.random(in: 0...255, using: &rng) }
        switch type {
        case .f32: b = withUnsafeBytes(of: Float(rng.unit() * 2 - 1)) { Array($0) }
        case .f16: b = f16(Float(rng.unit() * 2 - 1))
        case .bf16: b = withUnsafeBytes(of: Float(rng.unit() * 2 - 1)) { Array($0[2...3]) }
        case .q4_0, .q5_0, .q8_0: b.replaceSubrange(0..<2, with: scale())
        case .q4_1, .q5_1, .q4_K, .q5_K: b.replaceSubrange(0..<2, with: scale()); b.replaceSubrange(2..<4, with: scale())
        case .q6_K: b.replaceSubrange(208..<210, with: scale())
        }
        return b
    }

    static func reference(_ m: QuantMatrix, _ x: [Float]) -> [Double] {
        var dense = [Float](repeating: 0, count: m.rows * m.columns)
        dense.withUnsafeMutableBufferPointer { m.dequantize(into: $0.baseAddress!) }
        return (0..<m.rows).map { r in (0..<m.columns).reduce(0.0) { $0 + Double(dense[r * m.columns + $1]) * Double(x[$1]) } }
    }

    static func check(_ m: QuantMatrix, variant: KernelVariant, seed: UInt64) -> Float {
        var rng = SplitMix(seed: seed)
        let x = (0..<m.columns).map { _ in Float(rng.unit() * 2 - 1) }
        let expected = reference(m, x)
        var y = [Float](repeating: .nan, count: m.rows)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!, variant: variant) } }
        // Error relative to the row's magnitude: sum |w|·|x| bounds any summation-order difference.
        var worst: Float = 0
        for (g, e) in zip(y, expected) { worst = max(worst, Float(abs(Double(g) - e)) / max(1e-6, Float(abs(e)) + 1e-3)) }
        return worst
    }

    static let variants = KernelRuntime.supported

    @Test("every type and variant matches dequantize-then-multiply",
          arguments: GGMLType.allCases, QuantKernelTests.variants)
    func typeAndVariant(type: GGMLType, variant: KernelVariant) throws {
        let dir = try TemporaryDirectory()
        let columns = type.blockSize == 256 ? 512 : 576
        let f = try Self.randomGGUF([("w", type, 67)], columns: columns, seed: UInt64(type.rawValue) + 1, in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: 67)], columns: columns)
        let worst = Self.check(m, variant: variant, seed: 7)
        #expect(worst < 2e-4, "\(type.name) \(variant.rawValue): worst error \(worst)")
    }

    static let packedTypes: [GGMLType] = GGMLType.allCases.filter { $0.blockSize > 1 }

    @Test("16-row packed groups: every packed type and variant matches dequantize-then-multiply",
          arguments: QuantKernelTests.packedTypes, QuantKernelTests.variants)
    func packedTypeAndVariant(type: GGMLType, variant: KernelVariant) throws {
        let dir = try TemporaryDirectory()
        let columns = type.blockSize == 256 ? 768 : 576
        let f = try Self.randomGGUF([("w", type, 96)], columns: columns, seed: UInt64(type.rawValue) + 40, in: dir)
        let packed = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: 96)], columns: columns)
        let plain = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: 96)], columns: columns, pack: false)
        #expect(packed.isPacked && !plain.isPacked)
        let worst = Self.check(packed, variant: variant, seed: 8)
        #expect(worst < 2e-4, "\(type.name) \(variant.rawValue) packed: worst error \(worst)")
        // Dequantizing packed rows is ggml's dequantization, bit for bit, and so is a row lookup.
        var a = [Float](repeating: 0, count: 96 * columns), b = a
        a.withUnsafeMutableBufferPointer { packed.dequantize(into: $0.baseAddress!) }
        b.withUnsafeMutableBufferPointer { plain.dequantize(into: $0.baseAddress!) }
        #expect(a == b, "\(type.name): packed dequantization differs")
        for r in [0, 15, 16, 57, 95] {
            var p = [Float](repeating: .nan, count: columns), q = p
            p.withUnsafeMutableBufferPointer { packed.row(r, into: $0.baseAddress!) }
            q.withUnsafeMutableBufferPointer { plain.row(r, into: $0.baseAddress!) }
            #expect(p == q, "\(type.name) row \(r)")
        }
    }

    @Test("rows that do not come 16 at a time, and other types, stay in the file's layout")
    func packingRule() throws {
        let dir = try TemporaryDirectory()
        let f = try Self.randomGGUF([("a", .q4_1, 67), ("b", .f16, 64), ("c", .q8_0, 64)], columns: 64, seed: 12, in: dir)
        #expect(try !QuantMatrix(gguf: f, tensors: [(name: "a", rows: 67)], columns: 64).isPacked)
        #expect(try !QuantMatrix(gguf: f, tensors: [(name: "b", rows: 64)], columns: 64).isPacked)
        #expect(try QuantMatrix(gguf: f, tensors: [(name: "c", rows: 64)], columns: 64).isPacked)
    }

    @Test("the CPU's variants are the ones tested, the scalar fallback included")
    func variantsThisCPURuns() {
        #expect(Self.variants.contains(.scalar))
        #expect(KernelRuntime.best == Self.variants.last)
        print("kernel variants this CPU runs: \(Self.variants.map(\.rawValue)); in use: \(KernelRuntime.variant.rawValue)")
    }

    @Test("a stack of tensors of different types is one product (Q|K|V), big enough to use every thread")
    func stackedMixedTypes() throws {
        let dir = try TemporaryDirectory()
        let f = try Self.randomGGUF([("q", .q4_1, 576), ("k", .q8_0, 192), ("v", .f16, 192)], columns: 576, seed: 3, in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "q", rows: 576), (name: "k", rows: 192), (name: "v", rows: 192)], columns: 576)
        #expect(m.rows == 960 && m.bytes == 576 * 18 * 20 + 192 * 18 * 34 + 192 * 576 * 2)
        #expect(m.isPacked)  // q and k packed, v (f16) in place: one product over both layouts
        for v in Self.variants { #expect(Self.check(m, variant: v, seed: 11) < 2e-4, "\(v.rawValue)") }
        // A stack whose first segment is not a whole number of groups shifts no later segment.
        let g = try Self.randomGGUF([("a", .q8_0, 40), ("b", .q4_1, 64)], columns: 576, seed: 13, in: dir)
        let mixed = try QuantMatrix(gguf: g, tensors: [(name: "a", rows: 40), (name: "b", rows: 64)], columns: 576)
        for v in Self.variants { #expect(Self.check(mixed, variant: v, seed: 14) < 2e-4, "\(v.rawValue) 40+64") }
    }

    @Test("any thread count, and callers racing for the pool, give the same product")
    func threadPool() throws {
        let dir = try TemporaryDirectory()
        let f = try Self.randomGGUF([("w", .q4_1, 1024)], columns: 576, seed: 9, in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: 1024)], columns: 576)
        let x = (0..<576).map { Float(($0 % 13) - 6) / 7 }
        @Sendable func product() -> [Float] {
            var y = [Float](repeating: .nan, count: m.rows)
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!) } }
            return y
        }
        let before = KernelRuntime.threads
        defer { KernelRuntime.setThreads(before) }
        KernelRuntime.setThreads(1)
        let single = product()
        for t in [2, 3, 4] {
            KernelRuntime.setThreads(t)
            #expect(KernelRuntime.threads == t)
            #expect(product() == single, "\(t) threads")
        }
        let results = Mutex<[[Float]]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let y = product()
            results.withLock { $0.append(y) }
        }
        #expect(results.withLock { $0.count == 8 && $0.allSatisfy { $0 == single } })
    }

    @Test("a tensor whose shape does not match is refused, naming it")
    func badShape() throws {
        let dir = try TemporaryDirectory()
        let f = try Self.randomGGUF([("w", .q4_1, 8)], columns: 64, seed: 5, in: dir)
        #expect(throws: GGUFError.badTensorShape(file: f.path, tensor: "w", expected: [64, 9], found: [64, 8])) {
            try QuantMatrix(gguf: f, tensors: [(name: "w", rows: 9)], columns: 64)
        }
    }

    @Test("an unknown PYRAMIDKV_KERNEL value is an error naming the variable")
    func unknownVariantName() {
        let e = EngineError.kernelUnknown(variable: KernelRuntime.variantVariable, value: "sse9", known: KernelVariant.allCases.map(\.rawValue))
        #expect(e.description == "PYRAMIDKV_KERNEL=sse9: unknown kernel variant; known: scalar, avx2, avx512")
    }
}

/// SplitMix64: a small seeded generator so fixtures are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
