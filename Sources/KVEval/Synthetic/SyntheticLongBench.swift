import Foundation

/// A small SYNTHETIC LongBench-format set built from the haystack essays, the way LongBench built
/// its synthetic tasks from Wikipedia: `passage_count` (how many unique paragraphs, with
/// duplicates) and `passage_retrieval_en` (which of N paragraphs a sentence comes from).
/// Records use the official schema and dataset names (so the official prompts and metrics apply);
/// every `_id` starts with "synthetic-" and `write(to:)` adds SYNTHETIC.md. These are not
/// LongBench data and their scores are not LongBench scores.
public struct SyntheticLongBench: Sendable {
    public struct Options: Sendable, Codable, Equatable {
        public var samplesPerTask = 20
        /// Paragraphs per passage_retrieval_en sample (LongBench's prompt says 30).
        public var retrievalParagraphs = 30
        /// Unique paragraphs per passage_count sample, drawn from this range.
        public var countUnique = 3...12
        /// Total paragraphs (with duplicates) per passage_count sample at most.
        public var countMaxTotal = 20
        /// Target words per paragraph (sentences are grouped until at least this many).
        public var paragraphWords = 60
        public var seed: UInt64 = 20240601
        public init() {}
    }

    public let paragraphs: [String]
    public let options: Options
    public let directory: String

    /// Splits the essays (sorted by file name) into paragraphs of whole sentences.
    public init(haystackDirectory: String, options: Options = Options()) throws(PromptError) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: haystackDirectory) } catch {
            throw .haystackUnreadable(path: haystackDirectory, reason: error.localizedDescription)
        }
        let files = names.filter { $0.hasSuffix(".txt") }.sorted()
        guard !files.isEmpty else { throw .haystackEmpty(directory: haystackDirectory) }
        var paras: [String] = []
        for f in files {
            let path = (haystackDirectory as NSString).appendingPathComponent(f)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .haystackUnreadable(path: path, reason: "cannot read as UTF-8")
            }
            paras += Self.paragraphs(of: text, minWords: options.paragraphWords)
        }
        self.paragraphs = paras
        self.options = options
        self.directory = haystackDirectory
    }

    static func paragraphs(of text: String, minWords: Int) -> [String] {
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        var out: [String] = []
        var cur: [String] = []
        for w in words {
            cur.append(w)
            let endsSentence = w.hasSuffix(".") || w.hasSuffix("?") || w.hasSuffix("!")
            if endsSentence && cur.count >= minWords {
                out.append(cur.joined(separator: " "))
                cur.removeAll()
            }
        }
        return out
    }

    static func sentences(of paragraph: String) -> [String] {
        var out: [String] = []
        var cur = ""
        for w in paragraph.split(separator: " ") {
            cur += cur.isEmpty ? String(w) : " " + w
            if w.hasSuffix(".") || w.hasSuffix("?") || w.hasSuffix("!") { out.append(cur); cur = "" }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func context(_ ps: [String]) -> String {
        ps.enumerated().map { "Paragraph \($0.offset + 1): \($0.element)" }.joined(separator: "\n\n")
    }

    static func wordCount(_ s: String) -> Int { s.split(whereSeparator: { $0.isWhitespace }).count }

    /// Records per dataset name.
    public func generate() throws(PromptError) -> [String: [LongBenchRecord]] {
        let needed = max(options.retrievalParagraphs, options.countUnique.upperBound)
        guard paragraphs.count >= needed else {
            throw .haystackTooSmall(directory: directory, paragraphs: paragraphs.count, needed: needed)
        }
        var rng = SplitMix64(seed: options.seed)
        var retrieval: [LongBenchRecord] = []
        for i in 0..<options.samplesPerTask {
            let picked = Array(paragraphs.indices.shuffled(using: &rng).prefix(options.retrievalParagraphs)).map { paragraphs[$0] }
            let target = Int.random(in: 0..<picked.count, using: &rng)
            let sents = Self.sentences(of: picked[target])
            let abstract = sents.max(by: { $0.count < $1.count }) ?? picked[target]
            let ctx = Self.context(picked)
            retrieval.append(LongBenchRecord(
                input: abstract, context: ctx, answers: ["Paragraph \(target + 1)"], length: Self.wordCount(ctx),
                dataset: "passage_retrieval_en", language: "en", allClasses: nil,
                id: String(format: "synthetic-passage_retrieval_en-%04d", i)))
        }
        var count: [LongBenchRecord] = []
        for i in 0..<options.samplesPerTask {
            let unique = Int.random(in: options.countUnique, using: &rng)
            let chosen = Array(paragraphs.indices.shuffled(using: &rng).prefix(unique)).map { paragraphs[$0] }
            let total = Int.random(in: unique...max(unique, options.countMaxTotal), using: &rng)
            var list = chosen
            while list.count < total { list.append(chosen[Int.random(in: 0..<chosen.count, using: &rng)]) }
            list.shuffle(using: &rng)
            let ctx = Self.context(list)
            count.append(LongBenchRecord(
                input: "", context: ctx, answers: [String(unique)], length: Self.wordCount(ctx),
                dataset: "passage_count", language: "en", allClasses: nil,
                id: String(format: "synthetic-passage_count-%04d", i)))
        }
        return ["passage_retrieval_en": retrieval, "passage_count": count]
    }

    /// Writes `{dataset}.jsonl` files (the official layout) and SYNTHETIC.md into `directory`.
    public func write(to outDirectory: String) throws(PromptError) -> [String: [LongBenchRecord]] {
        let sets = try generate()
        do {
            try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for (name, records) in sets {
                var text = ""
                for r in records { text += String(decoding: try enc.encode(r), as: UTF8.self) + "\n" }
                try text.write(toFile: (outDirectory as NSString).appendingPathComponent(name + ".jsonl"), atomically: true, encoding: .utf8)
            }
            let note = """
            # SYNTHETIC data — not LongBench

            Generated by KVEval.SyntheticLongBench from the haystack essays (seed \(options.seed)).
            Same record format, dataset names, prompts and metrics as LongBench v1's passage_count and
            passage_retrieval_en, but the paragraphs are essay chunks, not Wikipedia, and the
            "abstract" is the paragraph's longest sentence. Scores on it are not LongBench scores.

            """
            try note.write(toFile: (outDirectory as NSString).appendingPathComponent("SYNTHETIC.md"), atomically: true, encoding: .utf8)
        } catch {
            throw .writeFailed(path: outDirectory, reason: error.localizedDescription)
        }
        return sets
    }
}
