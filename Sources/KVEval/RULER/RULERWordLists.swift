import Foundation
import KVEngine
import Assets

/// wonderwords' bundled word lists as RULER reads them with
/// `wonderwords.random_word._get_words_from_text_file(name)`: the file in text mode (universal
/// newlines), `readlines()`, each line `rstrip()`-ed. scripts/fetch-assets extracts them from the
/// wonderwords 3.0.1 wheel into `$PYRAMIDKV_HOME/ruler/wonderwords/`.
public struct RULERWordLists: Sendable {
    public let nouns: [String]
    public let adjectives: [String]
    public let verbs: [String]

    public static var defaultDirectory: String { DefaultAssets.home + "/ruler/wonderwords" }
    public static var isFetched: Bool { FileManager.default.fileExists(atPath: defaultDirectory + "/.complete") }

    public init(nouns: [String], adjectives: [String], verbs: [String]) {
        self.nouns = nouns; self.adjectives = adjectives; self.verbs = verbs
    }

    /// Reads nounlist.txt, adjectivelist.txt and verblist.txt from `directory`.
    public init(directory: String = RULERWordLists.defaultDirectory) throws(RULERError) {
        func read(_ name: String) throws(RULERError) -> [String] {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .wordListUnreadable(path: path, reason: "file not found")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw .wordListUnreadable(path: path, reason: "not UTF-8")
            }
            let words = Self.readlinesRstripped(text)
            guard !words.isEmpty else { throw .wordListEmpty(path: path) }
            return words
        }
        nouns = try read("nounlist.txt")
        adjectives = try read("adjectivelist.txt")
        verbs = try read("verblist.txt")
    }

    /// `[line.rstrip() for line in open(...).readlines()]` with universal newlines.
    static func readlinesRstripped(_ text: String) -> [String] {
        var lines: [String] = []
        var cur: [Unicode.Scalar] = []
        var lastWasCR = false
        var any = false
        for c in text.unicodeScalars {
            if lastWasCR && c == "\n" { lastWasCR = false; continue }
            lastWasCR = false
            if c == "\n" || c == "\r" {
                lines.append(RULERText.rstrip(cur)); cur.removeAll(keepingCapacity: true); any = false
                lastWasCR = c == "\r"
            } else { cur.append(c); any = true }
        }
        if any { lines.append(RULERText.rstrip(cur)) }
        return lines
    }

    /// niah's key words: `sorted(set(f"{adj}-{noun}" for adj in adjs for noun in nouns))`.
    public var niahKeyWords: RULERKeyWords { RULERKeyWords(adjectives: adjectives, nouns: nouns) }

    /// cwe's words before RULER's shuffle: `sorted(set(nouns + adjs + verbs))`.
    public var commonWordsSorted: [String] { RULERText.sortedUnique(nouns + adjectives + verbs) }
}

/// The sorted, de-duplicated "adjective-noun" list niah draws word keys from (about six million
/// strings), indexed without building it: "a-" + noun blocks follow the sorted prefixes "a-",
/// except where one prefix starts another ("well-" and "well-to-do-"), whose blocks are merged,
/// sorted and de-duplicated explicitly.
public struct RULERKeyWords: Sendable {
    enum Block: Sendable {
        case prefix(String)
        case explicit([String])
    }
    let blocks: [Block]
    /// start index of each block
    let starts: [Int]
    let nouns: [String]
    public let count: Int

    init(adjectives: [String], nouns: [String]) {
        let sortedNouns = RULERText.sortedUnique(nouns)
        let prefixes = RULERText.sortedUnique(adjectives.map { $0 + "-" })
        var blocks: [Block] = []
        var i = 0
        while i < prefixes.count {
            let root = Array(prefixes[i].utf8)
            var j = i + 1
            while j < prefixes.count, prefixes[j].utf8.starts(with: root) { j += 1 }
            if j == i + 1 {
                blocks.append(.prefix(prefixes[i]))
            } else {
                let words = prefixes[i..<j].flatMap { p in sortedNouns.map { p + $0 } }
                blocks.append(.explicit(RULERText.sortedUnique(words)))
            }
            i = j
        }
        var starts: [Int] = []
        var n = 0
        for b in blocks {
            starts.append(n)
            switch b {
            case .prefix: n += sortedNouns.count
            case .explicit(let w): n += w.count
            }
        }
        self.blocks = blocks; self.starts = starts; self.nouns = sortedNouns; self.count = n
    }

    public subscript(index: Int) -> String {
        precondition(index >= 0 && index < count, "key word index out of range")
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        let off = index - starts[lo]
        switch blocks[lo] {
        case .prefix(let p): return p + nouns[off]
        case .explicit(let w): return w[off]
        }
    }
}
