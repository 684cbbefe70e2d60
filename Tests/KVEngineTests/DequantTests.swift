import Foundation
import KVEngine
import Testing

@Suite("Dequantization against gguf-py")
struct DequantTests {
    struct Case: Decodable { let type: String; let elements: Int; let bytes_hex: String; let values: [Float] }
    struct File: Decodable { let cases: [Case] }

    static let cases: [Case] = {
        guard let data = try? Fixtures.data("dequant_fixtures.json"),
              let f = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return f.cases
    }()

    @Test("fixtures cover every supported type")
    func coverage() {
        #expect(Set(Self.cases.map(\.type)) == Set(GGMLType.allCases.map(\.name)))
    }

    @Test("each type matches gguf.quants.dequantize", arguments: GGMLType.allCases)
    func matches(type: GGMLType) throws {
        let c = try #require(Self.cases.first { $0.type == type.name })
        var bytes = [UInt8]()
        var i = c.bytes_hex.startIndex
        while i < c.bytes_hex.endIndex {
            let j = c.bytes_hex.index(i, offsetBy: 2)
            bytes.append(UInt8(c.bytes_hex[i..<j], radix: 16)!)
            i = j
        }
        #expect(type.byteCount(elements: c.elements) == bytes.count)
        let got = bytes.withUnsafeBytes { Dequantize.toFloat($0, type: type, count: c.elements) }
        #expect(got.count == c.values.count)
        var worst: Float = 0
        for (g, e) in zip(got, c.values) { worst = max(worst, abs(g - e) / max(1e-3, abs(e))) }
        #expect(worst <= 1e-6, "\(type.name): worst relative error \(worst)")
    }

    @Test("byte counts reject partial blocks")
    func partialBlocks() {
        #expect(GGMLType.q4_K.byteCount(elements: 300) == nil)
        #expect(GGMLType.q4_1.byteCount(elements: 64) == 40)
        #expect(GGMLType.q6_K.byteCount(elements: 512) == 420)
    }
}
