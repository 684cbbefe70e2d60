/// HTML text building for the pages. Every value that reaches a page from the database or a
/// request goes through `escape` (or `attribute`), so a needle text with `<script>` or quotes
/// shows as text and never becomes markup.
enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as entities: safe in element content and in quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A path segment or query value, percent-encoded (then escaped where it lands in an attribute).
    static func urlComponent(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// `<a href="…">text</a>` with both parts escaped.
    static func link(_ href: String, _ text: String, cssClass: String? = nil) -> String {
        let css = cssClass.map { " class=\"\(escape($0))\"" } ?? ""
        return "<a href=\"\(escape(href))\"\(css)>\(escape(text))</a>"
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
