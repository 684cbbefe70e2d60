import CKernels
import Foundation
import Testing

/// The row maximum softmax and decode attention shift by (a 16-lane vectorized scan) and the
/// tile softmax itself, against plain Swift on lengths around the 16-lane blocks.
@Suite("Softmax kernels")
struct SoftmaxKernelTests {
    @Test("pkv_max is the maximum, wherever it sits", arguments: [0, 1, 15, 16, 17, 33, 100, 1031])
    func maximum(n: Int) {
        var rng = SplitMix(seed: UInt64(n) + 3)
        let x = (0..<n).map { _ in Float(rng.unit() * 20 - 10) }
        #expect(pkv_max(x, Int64(n)) == (x.max() ?? -.infinity))
        // The maximum in the tail, then in the last 16-lane block, is still found.
        for at in Set([n - 1, n / 2]) where at >= 0 && at < n {
            var y = x
            y[at] = 99
            #expect(pkv_max(y, Int64(n)) == 99, "n \(n), max at \(at)")
        }
    }

    @Test("softmax rows sum to 1 over their length, zero past it, and match exp(x - max) / Σ")
    func softmaxRows() {
        let rows = 5, width = 70
        var rng = SplitMix(seed: 21)
        var s = (0..<rows * width).map { _ in Float(rng.unit() * 8 - 4) }
        let original = s
        let lengths: [Int64] = [1, 16, 17, 69, 70]
        pkv_softmax_rows(&s, Int64(rows), Int64(width), Int64(width), lengths)
        for r in 0..<rows {
            let n = Int(lengths[r]), row = Array(original[r * width..<(r * width + n)])
            let m = row.max()!, e = row.map { Foundation.exp(Double($0 - m)) }, total = e.reduce(0, +)
            for i in 0..<n { #expect(abs(Double(s[r * width + i]) - e[i] / total) < 1e-6, "row \(r) col \(i)") }
            for i in n..<width { #expect(s[r * width + i] == 0, "row \(r) col \(i) past the length") }
        }
    }
}
