// Python 3 `str` semantics on Unicode scalars (code points), as LongBench's metrics.py sees text.
//
// Swift `String` compares by canonical equivalence and treats "\r\n" as one Character; Python
// compares code points. Every metric therefore works on `[Unicode.Scalar]`.

/// A Python `str`: a sequence of code points, compared code point by code point.
public typealias PyStr = [Unicode.Scalar]

enum PyText {
    static func str(_ s: String) -> PyStr { Array(s.unicodeScalars) }

    static func string(_ s: PyStr) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s)
        return String(out)
    }

    /// `str.isspace()` for one code point (bidi WS/B/S or category Zs), as CPython defines it.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.split()` with no separator: runs of whitespace separate, no empty pieces.
    static func splitWhitespace(_ s: PyStr) -> [PyStr] {
        var out: [PyStr] = []
        var cur: PyStr = []
        var inWord = false
        for c in s {
            if isSpace(c) {
                if inWord { out.append(cur); cur.removeAll(keepingCapacity: true); inWord = false }
            } else {
                cur.append(c); inWord = true
            }
        }
        if inWord { out.append(cur) }
        return out
    }

    /// `str.split(sep)` with an explicit one-code-point separator: keeps empty pieces; "" → [""].
    static func split(_ s: PyStr, on sep: Unicode.Scalar) -> [PyStr] {
        var out: [PyStr] = []
        var cur: PyStr = []
        for c in s {
            if c == sep { out.append(cur); cur.removeAll(keepingCapacity: true) } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }

    /// `sep.join(parts)`.
    static func join(_ parts: [PyStr], with sep: PyStr) -> PyStr {
        var out: PyStr = []
        for (i, p) in parts.enumerated() {
            if i > 0 { out.append(contentsOf: sep) }
            out.append(contentsOf: p)
        }
        return out
    }

    /// `s.lstrip(ch)` for one code point.
    static func lstrip(_ s: PyStr, _ ch: Unicode.Scalar) -> PyStr {
        var i = 0
        while i < s.count, s[i] == ch { i += 1 }
        return Array(s[i...])
    }

    /// `needle in haystack` for strings (substring test; "" is in everything).
    static func contains(_ haystack: PyStr, _ needle: PyStr) -> Bool {
        firstIndex(of: needle, in: haystack, from: 0) != nil
    }

    static func firstIndex(of needle: PyStr, in haystack: PyStr, from start: Int) -> Int? {
        if needle.isEmpty { return start <= haystack.count ? start : nil }
        if needle.count > haystack.count - start { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// `str.lower()`: full lowercase mappings plus the Final_Sigma context rule.
    static func lower(_ s: PyStr) -> PyStr {
        var out: PyStr = []
        out.reserveCapacity(s.count)
        for (i, c) in s.enumerated() {
            if c.value == 0x03A3 {
                out.append(finalSigma(s, at: i) ? "\u{03C2}" : "\u{03C3}")
                continue
            }
            if c.value < 0x80 {
                if c.value >= 0x41 && c.value <= 0x5A {
                    out.append(Unicode.Scalar(c.value + 0x20)!)
                } else {
                    out.append(c)
                }
                continue
            }
            out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
        }
        return out
    }

    /// CPython's `handle_capital_sigma`.
    private static func finalSigma(_ s: PyStr, at i: Int) -> Bool {
        var j = i - 1
        var c: Unicode.Scalar = " "
        while j >= 0 {
            c = s[j]
            if !c.properties.isCaseIgnorable { break }
            j -= 1
        }
        var isFinal = j >= 0 && c.properties.isCased
        if isFinal && i + 1 < s.count {
            j = i + 1
            while j < s.count {
                c = s[j]
                if !c.properties.isCaseIgnorable { break }
                j += 1
            }
            isFinal = j == s.count || !c.properties.isCased
        }
        return isFinal
    }

    /// `re` `\w` for a `str` pattern: `str.isalnum()` or "_".
    static func isWord(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            let v = c.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return c.properties.numericType != nil
        }
    }

    /// `re` `\d` for a `str` pattern: a Unicode decimal digit (category Nd).
    static func isDecimal(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value >= 0x30 && c.value <= 0x39 }
        return c.properties.numericType == .decimal
    }

    /// `re.findall(r"\d+", s)`.
    static func digitRuns(_ s: PyStr) -> [PyStr] {
        var out: [PyStr] = []
        var cur: PyStr = []
        for c in s {
            if isDecimal(c) { cur.append(c) } else if !cur.isEmpty { out.append(cur); cur.removeAll() }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// The group of the first match of `re.findall(prefix + r"(\d+)", s)`, or nil.
    static func firstNumber(after prefix: PyStr, in s: PyStr) -> PyStr? {
        var start = 0
        while let i = firstIndex(of: prefix, in: s, from: start) {
            var j = i + prefix.count
            var digits: PyStr = []
            while j < s.count, isDecimal(s[j]) { digits.append(s[j]); j += 1 }
            if !digits.isEmpty { return digits }
            start = i + 1
        }
        return nil
    }
}
