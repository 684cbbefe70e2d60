import CKernels
import Foundation
import KVEngine
import Testing
import TestSupport

/// The AVX-512 VBMI kernels for packed Q4_K and Q6_K (qdot16_kq_vbmi.c) claim the plain AVX-512
/// kernels' bits, so they need no numerics version of their own: checked bit for bit on random
/// blocks, with activations spanning the magnitudes a model produces (and zeros), on a matrix
/// narrow enough for the pre-scaled x to sit on the stack and one wide enough to need the heap.
@Suite("VBMI K-quant kernels")
struct QuantKernelVBMITests {
    static let runnable = KernelVariant.avx512.isSupported && KernelRuntime.hasVBMI

    static func activations(_ n: Int, seed: UInt64) -> [[Float]] {
        var rng = SplitMix(seed: seed)
        let uniform = (0..<n).map { _ in Float(rng.unit() * 2 - 1) }
        // Residual-stream-like: signs at random, magnitudes from 1e-6 to 1e2, some exact zeros.
        let spread = (0..<n).map { i -> Float in
            if i % 97 == 0 { return 0 }
            let magnitude = Float(pow(10.0, rng.unit() * 8 - 6))
            return rng.unit() < 0.5 ? -magnitude : magnitude
        }
        return [uniform, spread]
    }

    static func product(_ m: QuantMatrix, _ x: [Float], vbmi: Bool) -> [Float] {
        let was = KernelRuntime.kQuantVBMI
        defer { KernelRuntime.kQuantVBMI = was }
        KernelRuntime.kQuantVBMI = vbmi
        var y = [Float](repeating: .nan, count: m.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { m.multiply(xp.baseAddress!, into: $0.baseAddress!, variant: .avx512) }
        }
        return y
    }

    @Test("Q4_K and Q6_K: the VBMI kernels give the AVX-512 kernels' bits",
          .enabled(if: QuantKernelVBMITests.runnable, "needs AVX-512 with VBMI"),
          arguments: [GGMLType.q4_K, .q6_K], [(rows: 96, columns: 1280), (rows: 32, columns: 16640)])
    func bitIdentical(type: GGMLType, shape: (rows: Int, columns: Int)) throws {
        let dir = try TemporaryDirectory()
        let f = try QuantKernelTests.randomGGUF([("w", type, shape.rows)], columns: shape.columns,
                                                seed: UInt64(type.rawValue) * 31 + UInt64(shape.columns), in: dir)
        let m = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: shape.rows)], columns: shape.columns)
        #expect(m.isPacked)
        for (k, x) in Self.activations(shape.columns, seed: UInt64(shape.columns)).enumerated() {
            let fast = Self.product(m, x, vbmi: true), plain = Self.product(m, x, vbmi: false)
            #expect(fast.map(\.bitPattern) == plain.map(\.bitPattern), "\(type.name) \(shape) activations \(k)")
            #expect(fast.allSatisfy { $0.isFinite })
        }
    }

    @Test("the product's kernel name says which kernel runs, and the switch restores",
          .enabled(if: QuantKernelVBMITests.runnable, "needs AVX-512 with VBMI"))
    func kernelName() {
        let avx512 = Int32(PKV_VARIANT_AVX512), exact = Int32(PKV_ACTIVATIONS_F32)
        let was = KernelRuntime.kQuantVBMI
        defer { KernelRuntime.kQuantVBMI = was }
        KernelRuntime.kQuantVBMI = true
        #expect(String(cString: pkv_product_kernel_name(12, 1, exact, avx512)) == "avx512-vbmi packed groups")
        #expect(String(cString: pkv_product_kernel_name(14, 1, exact, avx512)) == "avx512-vbmi packed groups")
        // Q5_K has no VBMI kernel: the plain one serves it either way.
        #expect(String(cString: pkv_product_kernel_name(13, 1, exact, avx512)) == "avx512 packed groups")
        KernelRuntime.kQuantVBMI = false
        #expect(!KernelRuntime.kQuantVBMI)
        #expect(String(cString: pkv_product_kernel_name(12, 1, exact, avx512)) == "avx512 packed groups")
    }
}
