/// Python's `repr` of a str and of a list of str, which RULER's vt and qa sizing loops tokenize
/// (`input_text + f' {answer}'`). CPython's `unicode_repr`: single quotes unless the text has a
/// single quote and no double quote; `\\`, the quote, `\t`, `\n`, `\r` escaped; other code
/// points below U+0020 and U+007F as `\xhh`; non-ASCII kept when printable (not Cc, Cf, Cs, Co,
/// Cn, Zl, Zp or Zs), else `\xhh`, `\uhhhh` or `\Uhhhhhhhh`. Printability comes from Swift's
/// Unicode tables, which may be a version apart from the Python's.
enum PyRepr {
    static func list(_ items: [String]) -> String {
        "[" + items.map(str).joined(separator: ", ") + "]"
    }

    static func str(_ s: String) -> String {
        let hasSingle = s.unicodeScalars.contains("'"), hasDouble = s.unicodeScalars.contains("\"")
        let quote: Unicode.Scalar = hasSingle && !hasDouble ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for c in s.unicodeScalars {
            switch c {
            case quote, "\\": out.append("\\"); out.append(c)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    out.append(contentsOf: escape(c.value, digits: 2, prefix: "\\x").unicodeScalars)
                } else if c.value < 0x7F || isPrintable(c) {
                    out.append(c)
                } else if c.value <= 0xFF {
                    out.append(contentsOf: escape(c.value, digits: 2, prefix: "\\x").unicodeScalars)
                } else if c.value <= 0xFFFF {
                    out.append(contentsOf: escape(c.value, digits: 4, prefix: "\\u").unicodeScalars)
                } else {
                    out.append(contentsOf: escape(c.value, digits: 8, prefix: "\\U").unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    /// `Py_UNICODE_ISPRINTABLE` for a non-ASCII code point.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func escape(_ v: UInt32, digits: Int, prefix: String) -> String {
        let hex = String(v, radix: 16)
        return prefix + String(repeating: "0", count: max(0, digits - hex.count)) + hex
    }
}
