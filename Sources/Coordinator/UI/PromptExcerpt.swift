/// A long prompt as a readable excerpt: its start, the stretch around the needle (marked) and its
/// end, with the elided lengths said. Everything escaped.
enum PromptExcerpt {
    static let edge = 300
    static let around = 500

    static func html(_ inspection: SampleInspection) -> String {
        guard !inspection.needle.isEmpty else { return truncated(inspection.before) }
        return head(inspection.before) + "<mark id=\"needle\">\(HTML.escape(inspection.needle))</mark>" + tail(inspection.after)
    }

    /// Start and end of a text, the middle elided.
    static func truncated(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > 2 * edge + 40 else { return HTML.escape(text) }
        return HTML.escape(String(characters[..<edge])) + elided(characters.count - 2 * edge)
            + HTML.escape(String(characters[(characters.count - edge)...]))
    }

    /// The text before the needle: its first `edge` and last `around` characters.
    static func head(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > edge + around + 40 else { return HTML.escape(text) }
        return HTML.escape(String(characters[..<edge])) + elided(characters.count - edge - around)
            + HTML.escape(String(characters[(characters.count - around)...]))
    }

    /// The text after the needle: its first `around` and last `edge` characters.
    static func tail(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > edge + around + 40 else { return HTML.escape(text) }
        return HTML.escape(String(characters[..<around])) + elided(characters.count - edge - around)
            + HTML.escape(String(characters[(characters.count - edge)...]))
    }

    static func elided(_ count: Int) -> String { "<span class=\"elided\"> […\(count) characters…] </span>" }
}
