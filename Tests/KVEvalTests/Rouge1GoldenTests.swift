import Testing
@testable import KVEval

/// ROUGE-1 against pip `rouge` 1.0.1 (tools/gen_rouge1_goldens.py): the needle's secondary metric.
struct Rouge1GoldenTests {
    struct Case: Decodable {
        let hypothesis: String
        let reference: String
        let r: Double
        let p: Double
        let f: Double
    }
    struct Goldens: Decodable { let cases: [Case] }

    @Test func everyCaseAgreesWithPipRouge() throws {
        let goldens = try FixtureLoader.decode(Goldens.self, "rouge1_goldens.json")
        #expect(goldens.cases.count >= 250)
        for c in goldens.cases {
            let s = Rouge1.score(hypothesis: c.hypothesis, reference: c.reference)
            let label = "\(c.hypothesis.debugDescription) vs \(c.reference.debugDescription)"
            #expect(abs(s.recall - c.r) < 1e-12 && abs(s.precision - c.p) < 1e-12 && abs(s.f - c.f) < 1e-12,
                    "\(label): \(s) vs r \(c.r) p \(c.p) f \(c.f)")
        }
    }
}
