import CKernels
import Foundation
import KVEngine
import Testing

/// The fused prefill attention (pkv_prefill_attention) on every variant this CPU runs and on 1
/// and 2 threads, against causal softmax(q·Kᵀ·scale)·V in double precision: a chunk's rows see
/// the keys before the chunk plus their own prefix. Cases cover tiles cut short (rows not a
/// multiple of the tile), keys around the 16-key blocks, streams of different lengths (a
/// compressed cache under the query-head layout), GQA groups of 1 to 3 heads, head sizes 64 and
/// 128, strided query and output rows, and the long contexts that switch to shorter tiles.
@Suite("Prefill attention kernels", .serialized)
struct PrefillAttentionKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rows: Int, before: [Int], heads: Int, dim: Int
        var testDescription: String { "rows=\(rows) before=\(before) g=\(heads) d=\(dim)" }
    }

    static let cases: [Case] = [
        Case(rows: 2, before: [0], heads: 1, dim: 64), Case(rows: 17, before: [0, 0], heads: 3, dim: 64),
        Case(rows: 48, before: [5], heads: 2, dim: 64), Case(rows: 61, before: [100, 3, 31], heads: 1, dim: 64),
        Case(rows: 100, before: [250, 250, 250], heads: 3, dim: 64), Case(rows: 30, before: [17, 40], heads: 2, dim: 128),
        Case(rows: 49, before: [3000], heads: 1, dim: 64), Case(rows: 25, before: [2900, 2], heads: 2, dim: 128),
    ]

    @Test("every variant matches the double-precision reference", arguments: cases)
    func matchesReference(c: Case) throws {
        var rng = SplitMix(seed: UInt64(c.rows * 7919 + c.before.reduce(0, +) + c.dim))
        func values(_ count: Int, _ spread: Double) -> [Float] { (0..<count).map { _ in Float((rng.unit() * 2 - 1) * spread) } }
        let d = c.dim, g = c.heads, streams = c.before.count, T = c.rows, heads = streams * g
        let counts = c.before.map { $0 + T }
        let keys = counts.map { values($0 * d, 2) }, vals = counts.map { values($0 * d, 1) }
        // Strided rows, as the engine's Q|K|V and attention buffers are.
        let qLD = heads * d + 13, outLD = heads * d + 5
        let q = values(T * qLD, 1.5)
        let scale = 1 / Float(d).squareRoot()
        var expected = [Double](repeating: 0, count: T * outLD)
        for h in 0..<heads {
            let s = h / g
            for r in 0..<T {
                let n = counts[s] - T + r + 1
                let qr = q[(r * qLD + h * d)..<(r * qLD + h * d + d)].map(Double.init)
                let logits = (0..<n).map { t in (0..<d).reduce(0.0) { $0 + qr[$1] * Double(keys[s][t * d + $1]) } * Double(scale) }
                let m = logits.max()!, e = logits.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
                for i in 0..<d { expected[r * outLD + h * d + i] = (0..<n).reduce(0.0) { $0 + e[$1] / z * Double(vals[s][$1 * d + i]) } }
            }
        }
        let before = KernelRuntime.variant, threadsBefore = KernelRuntime.threads
        defer { try? KernelRuntime.select(before); KernelRuntime.setThreads(threadsBefore) }
        for variant in KernelRuntime.supported {
            for threads in [1, 2] {
                try KernelRuntime.select(variant)
                KernelRuntime.setThreads(threads)
                var out = [Float](repeating: .nan, count: T * outLD)
                let ok = keys.withUnsafeBufferPointers { kp in
                    vals.withUnsafeBufferPointers { vp in
                        let views = (0..<streams).map {
                            pkv_kv_view(keys: kp[$0], values: vp[$0], half_keys: nil, half_values: nil, count: Int64(counts[$0]))
                        }
                        let floats = pkv_prefill_attention_scratch_floats(views, Int64(streams), Int64(d))
                        var scratch = [Float](repeating: .nan, count: Int(floats))
                        // Too small a scratch is refused, not overrun.
                        let refused = pkv_prefill_attention(views, Int64(streams), Int64(g), Int64(d), Int64(T), q, Int64(qLD),
                                                            &out, Int64(outLD), scale, &scratch, floats - 1, -1)
                        #expect(refused == 0)
                        return pkv_prefill_attention(views, Int64(streams), Int64(g), Int64(d), Int64(T), q, Int64(qLD),
                                                     &out, Int64(outLD), scale, &scratch, floats, -1)
                    }
                }
                #expect(ok == 1)
                var worst = 0.0
                for r in 0..<T { for i in 0..<(heads * d) { worst = max(worst, abs(Double(out[r * outLD + i]) - expected[r * outLD + i])) } }
                #expect(worst < 2e-5, "\(variant.rawValue), \(threads) threads, \(c.testDescription): worst error \(worst)")
                // Padding between rows is never written.
                #expect((0..<T).allSatisfy { r in (heads * d..<outLD).allSatisfy { out[r * outLD + $0].isNaN } })
            }
        }
    }

    @Test("head sizes other than 64 and 128 are left to the caller")
    func otherHeadSizes() {
        var k = [Float](repeating: 0.5, count: 8 * 80), out = [Float](repeating: .nan, count: 4 * 80)
        let q = [Float](repeating: 1, count: 4 * 80)
        let ok = k.withUnsafeMutableBufferPointer { kp in
            let view = pkv_kv_view(keys: kp.baseAddress, values: kp.baseAddress, half_keys: nil, half_values: nil, count: 8)
            var scratch = [Float](repeating: 0, count: 1 << 16)
            return withUnsafePointer(to: view) {
                pkv_prefill_attention($0, 1, 1, 80, 4, q, 80, &out, 80, 0.1, &scratch, Int64(scratch.count), -1)
            }
        }
        #expect(ok == 0)
        #expect(out.allSatisfy { $0.isNaN })
    }
}
