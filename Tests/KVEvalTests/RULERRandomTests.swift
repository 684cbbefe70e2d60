import Foundation
@testable import KVEval
import Testing

/// PythonRandom / NumpyLegacyRandom against CPython's `random` and numpy's legacy generator
/// (tools/gen_ruler_fixtures.py --only random → Fixtures/ruler/python_random.json).
struct RULERRandomTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let seed: Int
            let random: [Double]
            let getrandbits: [[StringOrInt]]
            let randint: [[Int]]
            let randrange: [[Int]]
            let choice_index: [[Int]]
            let choices: [String]
            let shuffle30: [Int]
            let sample: [SampleCase]
            let after: UInt64
        }
        struct SampleCase: Decodable {
            let n: Int, k: Int, result: [Int]
            init(from decoder: Decoder) throws {
                var c = try decoder.unkeyedContainer()
                n = try c.decode(Int.self); k = try c.decode(Int.self); result = try c.decode([Int].self)
            }
        }
        struct NumpyCase: Decodable { let seed: UInt32; let randint: [[Int]] }
        let python: String
        let cases: [Case]
        let numpy_cases: [NumpyCase]
        let setsize: [[Int]]
        let depths40: [Int]
    }

    enum StringOrInt: Decodable {
        case int(Int), string(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int.self) { self = .int(i) } else { self = .string(try c.decode(String.self)) }
        }
    }

    func load() throws -> Fixture { try FixtureLoader.decode(Fixture.self, "ruler/python_random.json") }

    /// Decimal string of a little-endian word array.
    static func decimal(_ words: [UInt32]) -> String {
        var w = words
        while w.last == 0 { w.removeLast() }
        if w.isEmpty { return "0" }
        var digits: [UInt8] = []
        while !w.isEmpty {
            var rem: UInt64 = 0
            for i in stride(from: w.count - 1, through: 0, by: -1) {
                let cur = rem << 32 | UInt64(w[i])
                w[i] = UInt32(cur / 10); rem = cur % 10
            }
            digits.append(UInt8(rem))
            while w.last == 0 { w.removeLast() }
        }
        return String(digits.reversed().map { Character(String($0)) })
    }

    @Test func pythonRandomMatchesCPython() throws {
        let fx = try load()
        #expect(fx.cases.count >= 8)
        for c in fx.cases {
            var r = PythonRandom(seed: c.seed)
            #expect(c.random.map { _ in r.random() } == c.random, "random() seed \(c.seed)")
            for g in c.getrandbits {
                guard case .int(let k) = g[0], case .string(let want) = g[1] else { Issue.record("bad fixture"); continue }
                #expect(Self.decimal(r.getrandbitsWords(k)) == want, "getrandbits(\(k)) seed \(c.seed)")
            }
            for t in c.randint { #expect(r.randint(t[0], t[1]) == t[2], "randint\(t) seed \(c.seed)") }
            for t in c.randrange { #expect(r.randrange(t[0], t[1]) == t[2], "randrange\(t) seed \(c.seed)") }
            for t in c.choice_index { #expect(r.choice(0..<t[0]) == t[1], "choice(range(\(t[0]))) seed \(c.seed)") }
            #expect(r.choices(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), k: 12).map(String.init) == c.choices, "choices seed \(c.seed)")
            var x = Array(0..<30)
            r.shuffle(&x)
            #expect(x == c.shuffle30, "shuffle seed \(c.seed)")
            for s in c.sample {
                #expect(r.sample(Array(0..<s.n), k: s.k) == s.result, "sample(range(\(s.n)), \(s.k)) seed \(c.seed)")
            }
            #expect(r.getrandbits(32) == c.after, "state after the calls, seed \(c.seed)")
        }
    }

    @Test func sampleSetSizeRule() throws {
        for t in try load().setsize { #expect(PythonRandom.sampleSetSize(k: t[0]) == t[1], "setsize k=\(t[0])") }
    }

    @Test func essayDepthsMatchNumpy() throws {
        #expect(RULEREssayHaystack.depths == (try load()).depths40)
    }

    @Test func numpyLegacyRandintMatchesNumpy() throws {
        for c in try load().numpy_cases {
            var r = NumpyLegacyRandom(seed: c.seed)
            for t in c.randint { #expect(r.randint(t[0], t[1]) == t[2], "np.random.randint\(t) seed \(c.seed)") }
        }
    }
}
