import Foundation
import KVEngine
import Assets

/// The essay haystack of RULER's niah tasks, with two documented substitutions (RULER's inputs
/// are not available here):
///
/// * The text: RULER reads `json/PaulGrahamEssays.json`'s `text` (its download script
///   concatenates the gkamradt needle-haystack essays, then essays scraped from paulgraham.com).
///   This port uses the project's needle haystack: every `*.txt` of
///   `$PYRAMIDKV_HOME/haystack/PaulGrahamEssays` in sorted file-name order, universal newlines,
///   concatenated with nothing between — the first part of RULER's text only.
/// * Sentence splitting: RULER calls nltk's punkt `sent_tokenize`. This port uses
///   `RULEREssayHaystack.sentences` (split after ".", "!" or "?" at a run of whitespace, i.e.
///   `[s for s in re.split(r'(?<=[.!?])\s+', text) if s]`), and the golden fixtures come from
///   RULER's niah.py run with `sent_tokenize` replaced by that same function.
///
/// So essay-task samples follow RULER's procedure and random draws exactly, but are not RULER's
/// published essay samples.
public struct RULEREssayHaystack: Sendable {
    /// `re.sub(r'\s+', " ", essay).split(" ")`.
    public let words: [String]

    public static var defaultDirectory: String { DefaultAssets.haystackDirectory }

    public init(text: String) {
        var normalized = String.UnicodeScalarView()
        var inSpace = false
        for c in text.unicodeScalars {
            if PyText.isSpace(c) {
                if !inSpace { normalized.append(" ") }
                inSpace = true
            } else { normalized.append(c); inSpace = false }
        }
        words = String(normalized).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    }

    public init(directory: String = RULEREssayHaystack.defaultDirectory) throws(RULERError) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw .haystackUnreadable(path: directory, reason: error.localizedDescription)
        }
        let txt = names.filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }.sorted(by: RULERText.less)
        guard !txt.isEmpty else { throw .haystackUnreadable(path: directory, reason: "no .txt files") }
        var text = ""
        for name in txt {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let s = String(data: data, encoding: .utf8) else {
                throw .haystackUnreadable(path: path, reason: "cannot read as UTF-8")
            }
            text += NeedleHaystack.universalNewlines(s)
        }
        self.init(text: text)
    }

    /// The stand-in for nltk's `sent_tokenize`: `[s for s in re.split(r'(?<=[.!?])\s+', text) if s]`.
    public static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var cur = String.UnicodeScalarView()
        var prev: Unicode.Scalar?
        var skipping = false
        for c in text.unicodeScalars {
            if skipping {
                if PyText.isSpace(c) { continue }
                skipping = false
            } else if PyText.isSpace(c), let p = prev, p == "." || p == "!" || p == "?" {
                if !cur.isEmpty { out.append(String(cur)) }
                cur = String.UnicodeScalarView()
                skipping = true
                prev = c
                continue
            }
            cur.append(c)
            prev = c
        }
        if !cur.isEmpty { out.append(String(cur)) }
        return out
    }

    /// `np.round(np.linspace(0, 100, num=40, endpoint=True)).astype(int)`.
    static let depths: [Int] = (0..<40).map { i in
        let y = i == 39 ? 100.0 : Double(i) * (100.0 / 39.0)
        return Int(y.rounded(.toNearestOrEven))
    }
}
