import Foundation

/// The haystack text as the driver's `read_context_files` builds it: every `*.txt` of the
/// directory in sorted file-name order, read as UTF-8 text with Python's universal newlines,
/// concatenated — the whole set again and again until it has at least `minTokens` tokens.
/// A haystack uploaded to the coordinator as one text blob is the same concatenation.
public struct NeedleHaystack: Sendable {
    /// Tokens a haystack holds at least: the longest context of KVCache-Factory's needle grid
    /// (8000), so one haystack serves every cell of the usual sweep.
    public static let defaultMinTokens = NeedleGrid.kvCacheFactoryLlama3.lengths.max() ?? 8000

    /// Where the text came from: a directory, or `blob:<sha256>`.
    public let directory: String
    public let files: [String]
    public let text: String
    /// `encode(text, add_special_tokens=False)`.
    public let tokens: [Int32]

    public init(directory: String, minTokens: Int, tokenizer: some PromptTokenizer) throws(PromptError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .haystackUnreadable(path: directory, reason: error.localizedDescription)
        }
        let txt = names.filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }
            .sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
        guard !txt.isEmpty else { throw .haystackEmpty(directory: directory) }
        var contents: [String] = []
        for name in txt {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .haystackUnreadable(path: path, reason: "cannot open")
            }
            guard let s = String(data: data, encoding: .utf8) else { throw .haystackUnreadable(path: path, reason: "not UTF-8") }
            contents.append(Self.universalNewlines(s))
        }
        (text, tokens) = Self.repeated(contents, minTokens: minTokens, tokenizer: tokenizer)
        self.directory = directory
        self.files = txt
    }

    /// A haystack given as one text (a blob from the coordinator, named by `source`), read with
    /// universal newlines and repeated like the directory form.
    public init(text source: String, named name: String, minTokens: Int,
                tokenizer: some PromptTokenizer) throws(PromptError) {
        guard !source.isEmpty else { throw .haystackEmpty(directory: name) }
        (text, tokens) = Self.repeated([Self.universalNewlines(source)], minTokens: minTokens, tokenizer: tokenizer)
        directory = name
        files = []
    }

    private static func repeated(_ contents: [String], minTokens: Int,
                                 tokenizer: some PromptTokenizer) -> (String, [Int32]) {
        var text = ""
        var tokens: [Int32] = []
        while tokens.count < minTokens {
            for c in contents { text += c }
            tokens = tokenizer.encodePlain(text)
            if contents.allSatisfy(\.isEmpty) { break }
        }
        return (text, tokens)
    }

    /// Python text-mode reading: "\r\n" and "\r" become "\n".
    static func universalNewlines(_ s: String) -> String {
        guard s.unicodeScalars.contains("\r") else { return s }
        var out = String.UnicodeScalarView()
        var prevCR = false
        for c in s.unicodeScalars {
            if c == "\r" { out.append("\n"); prevCR = true; continue }
            if c == "\n" && prevCR { prevCR = false; continue }
            prevCR = false
            out.append(c)
        }
        return String(out)
    }
}
