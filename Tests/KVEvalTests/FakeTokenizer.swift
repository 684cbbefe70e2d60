import KVEval

/// A code-point tokenizer for logic tests: each scalar is its own id; "<|im_start|>" and
/// "<|im_end|>" are special ids; no BOS; EOS = the "<|im_end|>" id.
struct FakeTokenizer: PromptTokenizer {
    static let imStart: Int32 = 1_000_001, imEnd: Int32 = 1_000_002
    static let specials: [(String, Int32)] = [("<|im_start|>", imStart), ("<|im_end|>", imEnd)]

    func encodePlain(_ text: String) -> [Int32] {
        var out: [Int32] = []
        var s = Substring(text)
        outer: while !s.isEmpty {
            for (name, id) in Self.specials where s.hasPrefix(name) {
                out.append(id); s = s.dropFirst(name.count); continue outer
            }
            let c = s.unicodeScalars.first!
            out.append(Int32(c.value))
            s = Substring(s.unicodeScalars.dropFirst())
        }
        return out
    }

    func encodeWithSpecial(_ text: String) -> [Int32] { encodePlain(text) }

    func decodeSkippingSpecial(_ ids: [Int32]) -> String {
        var v = String.UnicodeScalarView()
        for id in ids where id < 1_000_000 { v.append(Unicode.Scalar(UInt32(id))!) }
        return String(v)
    }

    var eosIDs: Set<Int32> { [Self.imEnd] }

    func chat(user: String) -> String { "<|im_start|>user\n\(user)<|im_end|>\n<|im_start|>assistant\n" }
}
