import Foundation
import KVEngine
import PolicySpec
import Testing

/// Issue 11: `--kv-dtype f16` halves the cache and what each decode step reads, and changes
/// greedy output little; f32 stays the default.
@Suite("f16 KV cache")
struct KVHalfTests {
    @Test("f32 → f16 rounds to nearest even, as Float16 does")
    func rounding() {
        var rng = SplitMix(seed: 42)
        let xs: [Float] = (0..<4096).map { _ in Float(rng.unit() * 2 - 1) * Float(1 << (rng.next() % 20)) / 1024 }
            + [0, -0, 65504, 65520, 1e-8, -1e-8, .infinity, 6.1e-5, 5.96e-8]
        let got = KVStream(dim: xs.count)
        xs.withUnsafeBufferPointer { got.append(k: $0.baseAddress!, v: $0.baseAddress!, rows: 1, stride: xs.count, firstPosition: 0) }
        got.narrow()
        let half = UnsafeBufferPointer(start: got.halfKeys!, count: xs.count)
        for (x, h) in zip(xs, half) { #expect(h == Float16(x).bitPattern, "\(x)") }
        #expect(got.bytes == 2 * xs.count * 2)
        got.widen()
        for (i, x) in xs.enumerated() { #expect(got.keys[i] == Float(Float16(x)), "\(x)") }
    }

    @Test("greedy decode with an f16 cache follows the f32 one; the cache is half the bytes")
    func decodeAgreement() throws {
        let model = try TestModel.get()
        let ids = model.tokenizer.encode("The quick brown fox jumps over the lazy dog. In a distant kingdom, the old king")
        func run(_ dtype: KVDType, policy: BudgetedPolicy?) throws -> (tokens: [Int32], logits: [Float], bytes: Int) {
            let session = InferenceSession(model: model, layout: .kvHead, kvDType: dtype)
            let kv = try policy.flatMap(KVPolicies.make)
            var logits = try KVCompression.prefillAndCompress(session: session, ids: ids, policy: kv).logits
            var tokens: [Int32] = []
            for _ in 0..<24 {
                let next = session.argmaxOfLastLogits()
                tokens.append(next)
                logits = try session.step(next)
            }
            #expect(session.cache.layers.allSatisfy { $0.allSatisfy { $0.dtype == dtype } })
            return (tokens, logits, session.cache.bytes)
        }
        for policy in [nil, PolicyConfig(name: .snapkv, window: 4, layout: .kvHead).budgeted(16)] {
            let full = try run(.f32, policy: policy), half = try run(.f16, policy: policy)
            #expect(half.bytes * 2 == full.bytes)
            let same = zip(full.tokens, half.tokens).prefix { $0 == $1 }.count
            #expect(same >= 16, "\(policy?.name.rawValue ?? "fullkv"): first \(same) of 24 greedy tokens agree")
            if same == 24 {
                let worst = zip(full.logits, half.logits).map { abs($0 - $1) }.max()!
                #expect(worst < 0.1, "largest logit difference \(worst)")
            }
        }
    }
}
