/// Python `str` operations RULER's generators use, on UTF-8 bytes (byte order and equality are
/// code-point order and equality, which is what Python compares).
enum RULERText {
    /// `str.format(**values)` for `{name}` fields (and `{{`/`}}`); inserted values are not re-parsed.
    static func format(_ template: String, _ values: [String: String]) -> String {
        let sc = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < sc.count {
            let c = sc[i]
            if c == "{" || c == "}", i + 1 < sc.count, sc[i + 1] == c {
                out.append(c); i += 2; continue
            }
            if c == "{" {
                var j = i + 1
                var name = String.UnicodeScalarView()
                while j < sc.count, sc[j] != "}" { name.append(sc[j]); j += 1 }
                let key = String(name)
                guard let v = values[key] else { preconditionFailure("template field {\(key)} has no value") }
                out.append(contentsOf: v.unicodeScalars)
                i = j + 1
                continue
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }

    /// `haystack.rfind(needle)` as a UTF-8 offset, nil for -1.
    static func rfind(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle.first ?? 0 || needle.isEmpty {
                var ok = true
                for j in 0..<needle.count where haystack[i + j] != needle[j] { ok = false; break }
                if ok { return i }
            }
            i -= 1
        }
        return nil
    }

    /// `haystack.find(needle)` as a UTF-8 offset, nil for -1.
    static func find(_ haystack: [UInt8], _ needle: [UInt8], from start: Int = 0) -> Int? {
        guard !needle.isEmpty else { return start <= haystack.count ? start : nil }
        guard haystack.count >= needle.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        let first = needle[0]
        while i <= last {
            if haystack[i] == first {
                var ok = true
                for j in 1..<needle.count where haystack[i + j] != needle[j] { ok = false; break }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }

    /// `s.replace(old, new)`: every non-overlapping occurrence, left to right.
    static func replace(_ s: String, _ old: String, _ new: String) -> String {
        let hay = Array(s.utf8), o = Array(old.utf8), n = Array(new.utf8)
        guard !o.isEmpty else { preconditionFailure("replace with an empty pattern is not ported") }
        var out: [UInt8] = []
        out.reserveCapacity(hay.count)
        var i = 0
        while let j = find(hay, o, from: i) {
            out.append(contentsOf: hay[i..<j]); out.append(contentsOf: n)
            i = j + o.count
        }
        out.append(contentsOf: hay[i...])
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits `s` at the last occurrence of `marker`: (before, from the marker on). Python's
    /// `s[:i], s[i:]` with `i = s.rfind(marker)`; when absent, i = -1 gives (s[:-1], s[-1:]).
    static func splitAtLast(_ s: String, _ marker: String) -> (String, String) {
        let bytes = Array(s.utf8)
        if let i = rfind(bytes, Array(marker.utf8)) {
            return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[i...], as: UTF8.self))
        }
        var scalars = Array(s.unicodeScalars)
        guard let last = scalars.popLast() else { return ("", "") }
        return (PyText.string(scalars), String(last))
    }

    /// `str.strip()`.
    static func strip(_ s: String) -> String {
        let sc = Array(s.unicodeScalars)
        var lo = 0, hi = sc.count
        while lo < hi, PyText.isSpace(sc[lo]) { lo += 1 }
        while hi > lo, PyText.isSpace(sc[hi - 1]) { hi -= 1 }
        return PyText.string(Array(sc[lo..<hi]))
    }

    /// `str.rstrip()`.
    static func rstrip(_ s: some Collection<Unicode.Scalar>) -> String {
        var sc = Array(s)
        while let l = sc.last, PyText.isSpace(l) { sc.removeLast() }
        return PyText.string(sc)
    }

    /// `str.split()`.
    static func splitWhitespace(_ s: String) -> [String] {
        PyText.splitWhitespace(PyText.str(s)).map(PyText.string)
    }

    /// Python's `<` on str (code points), via UTF-8 bytes.
    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// `sorted(set(words))`.
    static func sortedUnique(_ words: [String]) -> [String] {
        var seen = Set<[UInt8]>()
        var out: [String] = []
        for w in words where seen.insert(Array(w.utf8)).inserted { out.append(w) }
        return out.sorted(by: less)
    }
}

/// Python's float `//` (`float_floor_div`: fmod-based, not floor(a / b)).
func pyFloorDiv(_ vx: Double, _ wx: Double) -> Double {
    var mod = vx.truncatingRemainder(dividingBy: wx)
    var div = (vx - mod) / wx
    if mod != 0 {
        if (wx < 0) != (mod < 0) { mod += wx; div -= 1.0 }
    }
    if div != 0 {
        var floordiv = div.rounded(.down)
        if div - floordiv > 0.5 { floordiv += 1.0 }
        return floordiv
    }
    return (vx / wx).sign == .minus ? -0.0 : 0.0  // copysign(0.0, vx / wx)
}
