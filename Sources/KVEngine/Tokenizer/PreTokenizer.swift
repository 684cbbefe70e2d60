/// Splits text into the pieces BPE runs on, as llama.cpp does for `tokenizer.ggml.pre`.
/// Each kind is a sequence of splitting passes; every pass splits each fragment of the
/// previous one independently (llama.cpp's `unicode_regex_split`).
public enum PreTokenizerKind: String, Sendable, CaseIterable {
    /// gpt2 pattern; digits are first split one by one (`\p{N}`), as for SmolLM/StarCoder.
    case smollm
    /// Llama-3's pattern (contractions case-insensitive, up to 3 digits per piece).
    case llamaBPE = "llama-bpe"
    /// Qwen2's pattern: Llama-3's with single digits.
    case qwen2
    /// llama.cpp's default BPE passes (punctuation runs, gpt2, numbers, 3-digit groups).
    case `default`
    /// Plain gpt2 pattern.
    case gpt2

    public init(ggufName: String, file: String) throws {
        switch ggufName {
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b": self = .smollm
        case "llama-bpe", "llama3", "llama-v3": self = .llamaBPE
        case "qwen2", "deepseek-r1-qwen": self = .qwen2
        case "default": self = .default
        case "gpt-2", "gpt2", "phi-2", "jina-es", "jina-de", "olmo", "jais": self = .gpt2
        default:
            throw GGUFError.invalidValue(file: file, field: "tokenizer.ggml.pre",
                                         value: "\"\(ggufName)\" (supported: smollm, llama-bpe, qwen2, default, gpt2)")
        }
    }
}

struct PreTokenizer {
    let kind: PreTokenizerKind

    /// Returns the pieces of `text` as arrays of Unicode scalars.
    func split(_ text: String) -> [ArraySlice<Unicode.Scalar>] {
        let scalars = Array(text.unicodeScalars)
        let flags = scalars.map(UnicodeFlags.init)
        var fragments: [Range<Int>] = [0..<scalars.count]
        func pass(_ splitter: (Range<Int>) -> [Range<Int>]) {
            fragments = fragments.flatMap(splitter)
        }
        let s = Scanner(scalars: scalars, flags: flags)
        switch kind {
        case .smollm:
            pass { s.matchRuns($0, maxLength: 1) { f, _ in f.isNumber } }
            pass(s.gpt2)
        case .gpt2:
            pass(s.gpt2)
        case .llamaBPE:
            pass { s.llama3($0, maxDigits: 3) }
        case .qwen2:
            pass { s.llama3($0, maxDigits: 1) }
        case .default:
            pass { s.matchRuns($0, maxLength: nil) { f, c in f.isPunctuation || "$+<=>^~|".unicodeScalars.contains(c) } }
            pass(s.gpt2)
            pass { s.matchRuns($0, maxLength: nil) { f, _ in f.isNumber } }
            pass { s.matchRuns($0, exactLength: 3) { _, c in c.value >= 48 && c.value <= 57 } }
        }
        return fragments.filter { !$0.isEmpty }.map { scalars[$0] }
    }
}

/// The hand-written regex matchers (ports of llama.cpp's `unicode_regex_split_custom_*`).
private struct Scanner {
    let scalars: [Unicode.Scalar]
    let flags: [UnicodeFlags]

    /// Splits `range` into matches of a character-class run and the gaps between them.
    /// maxLength 1 makes every matching character its own piece.
    func matchRuns(_ range: Range<Int>, maxLength: Int?, _ cls: (UnicodeFlags, Unicode.Scalar) -> Bool) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var gapStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            if cls(flags[i], scalars[i]) {
                if gapStart < i { out.append(gapStart..<i) }
                var j = i + 1
                while j < range.upperBound, cls(flags[j], scalars[j]), maxLength.map({ j - i < $0 }) ?? true { j += 1 }
                out.append(i..<j)
                i = j
                gapStart = j
            } else {
                i += 1
            }
        }
        if gapStart < range.upperBound { out.append(gapStart..<range.upperBound) }
        return out
    }

    /// Splits off runs of exactly `exactLength` matching characters (e.g. `[0-9][0-9][0-9]`).
    func matchRuns(_ range: Range<Int>, exactLength: Int, _ cls: (UnicodeFlags, Unicode.Scalar) -> Bool) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var gapStart = range.lowerBound
        var i = range.lowerBound
        while i + exactLength <= range.upperBound {
            if (i..<i + exactLength).allSatisfy({ cls(flags[$0], scalars[$0]) }) {
                if gapStart < i { out.append(gapStart..<i) }
                out.append(i..<i + exactLength)
                i += exactLength
                gapStart = i
            } else {
                i += 1
            }
        }
        if gapStart < range.upperBound { out.append(gapStart..<range.upperBound) }
        return out
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    func gpt2(_ range: Range<Int>) -> [Range<Int>] {
        let end = range.upperBound
        func cpt(_ i: Int) -> UInt32? { i < end ? scalars[i].value : nil }
        func fl(_ i: Int) -> UnicodeFlags { i < end ? flags[i] : .outOfRange }
        var out: [Range<Int>] = []
        var start = range.lowerBound
        var pos = range.lowerBound
        func add(_ to: Int) { if start < to { out.append(start..<to) }; start = to; pos = to }
        while pos < end {
            let c = scalars[pos].value
            let f = flags[pos]
            if c == 0x27, let n1 = cpt(pos + 1) {
                if [0x73, 0x74, 0x6d, 0x64].contains(n1) { add(pos + 2); continue }  // s t m d
                if let n2 = cpt(pos + 2), (n1 == 0x72 && n2 == 0x65) || (n1 == 0x76 && n2 == 0x65) || (n1 == 0x6c && n2 == 0x6c) {
                    add(pos + 3); continue  // re ve ll
                }
            }
            var f2 = c == 0x20 ? fl(pos + 1) : f
            if f2.isLetter {
                var p = pos + (c == 0x20 ? 1 : 0)
                while fl(p).isLetter { p += 1 }
                add(p); continue
            }
            if f2.isNumber {
                var p = pos + (c == 0x20 ? 1 : 0)
                while fl(p).isNumber { p += 1 }
                add(p); continue
            }
            if f2.isOther {
                var p = pos + (c == 0x20 ? 1 : 0)
                while f2.isOther { p += 1; f2 = fl(p) }
                add(p); continue
            }
            var ws = 0
            while fl(pos + ws).isWhitespace { ws += 1 }
            if ws > 1 && cpt(pos + ws) != nil { add(pos + ws - 1); continue }
            if ws > 0 { add(pos + ws); continue }
            add(pos + 1)
        }
        return out
    }

    /// Llama-3 / Qwen2: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,k}|
    /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    func llama3(_ range: Range<Int>, maxDigits: Int) -> [Range<Int>] {
        let end = range.upperBound
        func cpt(_ i: Int) -> UInt32? { i < end ? scalars[i].value : nil }
        func lower(_ v: UInt32?) -> UInt32? { v.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 } }
        func fl(_ i: Int) -> UnicodeFlags { i < end ? flags[i] : .outOfRange }
        func isCRLF(_ v: UInt32?) -> Bool { v == 0x0d || v == 0x0a }
        var out: [Range<Int>] = []
        var start = range.lowerBound
        var pos = range.lowerBound
        func add(_ to: Int) { if start < to { out.append(start..<to) }; start = to; pos = to }
        while pos < end {
            let c = scalars[pos].value
            let f = flags[pos]
            if c == 0x27, let n1 = lower(cpt(pos + 1)) {
                if [0x73, 0x74, 0x6d, 0x64].contains(n1) { add(pos + 2); continue }
                if let n2 = lower(cpt(pos + 2)), (n1 == 0x72 && n2 == 0x65) || (n1 == 0x76 && n2 == 0x65) || (n1 == 0x6c && n2 == 0x6c) {
                    add(pos + 3); continue
                }
            }
            if !(isCRLF(c) || f.isNumber) && (f.isLetter || fl(pos + 1).isLetter) {
                var p = pos + 1
                while fl(p).isLetter { p += 1 }
                add(p); continue
            }
            if f.isNumber {
                var p = pos
                var ini = p
                while fl(p).isNumber {
                    p += 1
                    if p - ini >= maxDigits { add(p); ini = p }
                }
                add(p); continue
            }
            var f2 = c == 0x20 ? fl(pos + 1) : f
            if f2.isOther && !f.undefined {
                var p = pos + (c == 0x20 ? 1 : 0)
                while f2.isOther { p += 1; f2 = fl(p) }
                while isCRLF(cpt(p)) { p += 1 }
                add(p); continue
            }
            var ws = 0
            var lastCRLF = 0
            while fl(pos + ws).isWhitespace {
                if isCRLF(cpt(pos + ws)) { lastCRLF = pos + ws + 1 }
                ws += 1
            }
            if lastCRLF > 0 { add(lastCRLF); continue }
            if ws > 1 && cpt(pos + ws) != nil { add(pos + ws - 1); continue }
            if ws > 0 { add(pos + ws); continue }
            add(pos + 1)
        }
        return out
    }
}
