import Foundation
import KVEngine
import PolicySpec
import Testing

/// Kept positions against an independent Python reference (tools/gen_policy_reference.py:
/// a numpy float32 re-implementation of the transformers forward, checked against
/// transformers' logits, with KVCache-Factory's selection rules), query_head layout.
@Suite("Policy selections against the Python reference", .serialized)
struct PolicyReferenceTests {
    struct Case: Decodable { let policy: String; let budget: Int; let prompt_tokens: Int; let layers: [[String]] }
    struct File: Decodable { let prompt_ids: [String: [Int32]]; let cases: [Case] }

    static let file: File? = {
        guard let d = try? Fixtures.data("policy_reference.json") else { return nil }
        return try? JSONDecoder().decode(File.self, from: d)
    }()

    static func positions(hex: String, n: Int) -> Set<Int> {
        var out = Set<Int>()
        var i = hex.startIndex, byte = 0
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            let v = Int(hex[i..<j], radix: 16)!
            for bit in 0..<8 where v & (1 << bit) != 0 && byte * 8 + bit < n { out.insert(byte * 8 + bit) }
            byte += 1
            i = j
        }
        return out
    }

    @Test("≥ 99% of kept positions identical per case; every layer and head ≥ 95%", arguments: ["1000", "3000"])
    func agreement(length: String) throws {
        let file = try #require(Self.file, "policy_reference.json fixture missing")
        let ids = try #require(file.prompt_ids[length])
        let model = try TestModel.get()
        let session = InferenceSession(model: model, layout: .queryHead)
        let (_, evidence) = try KVCompression.prefill(session: session, ids: ids, window: 8, columnSums: true)
        let cases = file.cases.filter { $0.prompt_tokens == ids.count }
        #expect(cases.count >= 15)
        for c in cases {
            let name = try #require(PolicyConfig.Name(rawValue: c.policy))
            let policy = try #require(try KVPolicies.make(PolicyConfig(name: name, layout: .queryHead).budgeted(c.budget)))
            let ours = KVCompression.selections(policy, session: session, evidence: evidence)
            var same = 0, total = 0
            var worst = 1.0
            for (l, heads) in c.layers.enumerated() {
                for (h, hex) in heads.enumerated() {
                    let ref = Self.positions(hex: hex, n: ids.count)
                    let got = Set(ours[l].kept[h])
                    #expect(got.count == ref.count, "\(c.policy)@\(c.budget) n=\(length) layer \(l) head \(h): kept \(got.count) vs \(ref.count)")
                    let inter = got.intersection(ref).count
                    same += inter
                    total += ref.count
                    worst = min(worst, Double(inter) / Double(max(ref.count, 1)))
                }
            }
            let rate = Double(same) / Double(total)
            #expect(rate >= 0.99, "\(c.policy)@\(c.budget) n=\(length): \(rate)")
            #expect(worst >= 0.95, "\(c.policy)@\(c.budget) n=\(length): worst layer/head \(worst)")
        }
    }
}
