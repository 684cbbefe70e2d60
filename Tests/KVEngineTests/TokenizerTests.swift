import Foundation
import KVEngine
import Testing
import TestSupport

@Suite("Tokenizer against llama.cpp / HF tokenizers on the default model")
struct TokenizerTests {
    struct Case: Decodable { let text: String; let ids: [Int32] }
    struct Cases: Decodable { let cases: [Case] }

    static func tokenizer() throws -> Tokenizer { try TestModel.get().tokenizer }

    static func cases(_ file: String) -> [Case] {
        guard let d = try? Fixtures.data(file), let c = try? JSONDecoder().decode(Cases.self, from: d) else { return [] }
        return c.cases
    }

    @Test("≥ 40 generated strings: ASCII, whitespace, digits, code, contractions, accents, emoji, CJK, scripts")
    func generatedCases() throws {
        let tok = try Self.tokenizer()
        let cases = Self.cases("tokenizer_cases.json")
        #expect(cases.count >= 40)
        for c in cases {
            #expect(tok.encode(c.text) == c.ids, "\(c.text.debugDescription)")
            #expect(tok.decode(c.ids, skipSpecial: false) == c.text, "round trip of \(c.text.debugDescription)")
        }
    }

    @Test("shared reference vectors (HF tokenizers from the GGUF vocabulary)")
    func sharedVectors() throws {
        let tok = try Self.tokenizer()
        let cases = Self.cases("tokenizer_vectors.json")
        #expect(cases.count >= 30)
        for c in cases {
            // That generator registered special tokens as HF added tokens, which are always
            // parsed; llama.cpp (special=false, the reference for ids) does not parse them, so
            // such strings are compared with special parsing on.
            let special = c.text.contains("<|im_start|>") || c.text.contains("<|im_end|>")
            #expect(tok.encode(c.text, parseSpecial: special) == c.ids, "\(c.text.debugDescription)")
        }
    }

    @Test("llama.cpp's own ids (llama-cpp-python)")
    func llamaCppVectors() throws {
        let tok = try Self.tokenizer()
        let cases = Self.cases("llamacpp_tokens.json")
        #expect(cases.count >= 10)
        for c in cases { #expect(tok.encode(c.text) == c.ids, "\(c.text.debugDescription)") }
    }

    @Test("decode checks, with and without special tokens")
    func decodeChecks() throws {
        let tok = try Self.tokenizer()
        let json = try Fixtures.json("tokenizer_vectors.json")
        let checks = try #require(json["decode_checks"] as? [[String: Any]])
        #expect(!checks.isEmpty)
        for c in checks {
            let ids = try #require(c["ids"] as? [Int]).map(Int32.init)
            let skip = try #require(c["skip_special"] as? Bool)
            #expect(tok.decode(ids, skipSpecial: skip) == c["text"] as? String)
        }
    }

    @Test("special tokens are parsed only when asked")
    func specialParsing() throws {
        let tok = try Self.tokenizer()
        let text = "<|im_start|>user\nhi<|im_end|>"
        #expect(tok.encode(text, parseSpecial: true) == [1, 4093, 198, 6004, 2])
        #expect(tok.encode(text, parseSpecial: false).count > 5)
        #expect(!tok.encode(text, parseSpecial: false).contains(1))
        #expect(tok.eosIDs.contains(2))
        #expect(tok.eosID == 2 && tok.bosID == 1)
    }

    @Test("split UTF-8 across tokens decodes once joined")
    func partialUTF8() throws {
        let tok = try Self.tokenizer()
        let ids = tok.encode("🍕")
        #expect(ids.count > 1)
        #expect(tok.decode(ids) == "🍕")
        #expect(tok.decode([ids[0]]).unicodeScalars.first == "\u{FFFD}")
    }

    @Test("an unsupported tokenizer kind is a clear error")
    func unsupportedKind() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("spm.gguf")
        var w = GGUFTestWriter()
        w.header(tensors: 0, kvs: 1)
        w.kv("tokenizer.ggml.model", type: 8) { $0.string("llama") }
        try w.write(to: path)
        let e = try #require(throws: GGUFError.self) { try Tokenizer(gguf: GGUFFile(path: path)) }
        #expect(e.description.contains("tokenizer.ggml.model") && e.description.contains("llama"))
    }

    @Test("an unknown pre-tokenizer is a clear error")
    func unknownPre() throws {
        #expect(throws: GGUFError.self) { try PreTokenizerKind(ggufName: "mystery", file: "x.gguf") }
        #expect(try PreTokenizerKind(ggufName: "llama-bpe", file: "x") == .llamaBPE)
    }
}
