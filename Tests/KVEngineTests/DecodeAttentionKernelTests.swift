import CKernels
import Foundation
import KVEngine
import Testing

/// Decode attention (one query row per head against each stream's cache) on every variant this
/// CPU runs, against softmax(q·Kᵀ·scale)·V in double precision: f32 and f16 streams, GQA groups
/// of 1 to 8 heads, lengths around the 16-key blocks, and a head size the SIMD kernel does not
/// take (so the generic loop serves it). Three long streams on two threads are split by key
/// range and merged (flash-decoding), which must give the same answer.
@Suite("Decode attention kernels", .serialized)
struct DecodeAttentionKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var heads: Int, length: Int, dim: Int, half: Bool, streams = 2
        var testDescription: String { "\(streams) streams, g=\(heads) n=\(length) d=\(dim)\(half ? " f16" : "")" }
    }

    static let cases: [Case] = [
        Case(heads: 3, length: 1, dim: 64, half: false), Case(heads: 3, length: 15, dim: 64, half: false),
        Case(heads: 3, length: 16, dim: 64, half: true), Case(heads: 1, length: 17, dim: 64, half: false),
        Case(heads: 8, length: 300, dim: 128, half: false), Case(heads: 5, length: 333, dim: 64, half: true),
        Case(heads: 2, length: 40, dim: 72, half: false), Case(heads: 9, length: 20, dim: 64, half: false),
        Case(heads: 3, length: 700, dim: 64, half: false, streams: 3), Case(heads: 3, length: 517, dim: 64, half: true, streams: 3),
        Case(heads: 2, length: 300, dim: 72, half: false, streams: 3),
        // V column groups: 4 chunks in 2 blocked passes (d 128), 1 chunk at a time (d 80).
        Case(heads: 6, length: 150, dim: 128, half: true), Case(heads: 7, length: 90, dim: 80, half: false),
    ]

    @Test("every variant matches the double-precision reference", arguments: cases)
    func matchesReference(c: Case) throws {
        var rng = SplitMix(seed: UInt64(c.heads * 1000 + c.length))
        let streams = c.streams, d = c.dim, n = c.length, g = c.heads
        func values(_ count: Int, _ spread: Double) -> [Float] { (0..<count).map { _ in Float((rng.unit() * 2 - 1) * spread) } }
        var keys = (0..<streams).map { _ in values(n * d, 2) }, vals = (0..<streams).map { _ in values(n * d, 1) }
        let q = values(streams * g * d, 1)
        let scale = 1 / Float(d).squareRoot()
        // f16 streams: the reference sees the rounded values too.
        if c.half { keys = keys.map { $0.map { Float(Float16($0)) } }; vals = vals.map { $0.map { Float(Float16($0)) } } }
        let halfKeys = keys.map { $0.map { Float16($0).bitPattern } }, halfVals = vals.map { $0.map { Float16($0).bitPattern } }
        var expected = [Double](repeating: 0, count: streams * g * d)
        for s in 0..<streams {
            for h in 0..<g {
                let qh = Array(q[((s * g + h) * d)..<((s * g + h + 1) * d)])
                let logits = (0..<n).map { t in (0..<d).reduce(0.0) { $0 + Double(qh[$1]) * Double(keys[s][t * d + $1]) } * Double(scale) }
                let m = logits.max()!, e = logits.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
                for i in 0..<d { expected[(s * g + h) * d + i] = (0..<n).reduce(0.0) { $0 + e[$1] / z * Double(vals[s][$1 * d + i]) } }
            }
        }
        let before = KernelRuntime.variant, threadsBefore = KernelRuntime.threads
        defer { try? KernelRuntime.select(before); KernelRuntime.setThreads(threadsBefore) }
        for variant in KernelRuntime.supported {
          for threads in [1, 2] {
            try KernelRuntime.select(variant)
            KernelRuntime.setThreads(threads)
            var out = [Float](repeating: .nan, count: streams * g * d)
            var scratch = [Float](repeating: 0, count: streams * g * n)
            let offsets = (0..<streams).map { Int64($0 * g * n) }
            keys.withUnsafeBufferPointers { kp in vals.withUnsafeBufferPointers { vp in
                halfKeys.withUnsafeBufferPointers { hk in halfVals.withUnsafeBufferPointers { hv in
                    let views = (0..<streams).map { s in
                        c.half ? pkv_kv_view(keys: nil, values: nil, half_keys: hk[s], half_values: hv[s], count: Int64(n))
                            : pkv_kv_view(keys: kp[s], values: vp[s], half_keys: nil, half_values: nil, count: Int64(n))
                    }
                    pkv_decode_attention(views, Int64(streams), Int64(g), Int64(d), q, &out, scale, &scratch, offsets)
                } }
            } }
            let worst = zip(out, expected).map { abs(Double($0) - $1) }.max()!
            #expect(worst < 2e-5, "\(variant.rawValue), \(threads) threads, \(c.testDescription): worst error \(worst)")
          }
        }
    }
}
