import Synchronization

/// Byte-level BPE tokenizer built from GGUF metadata (`tokenizer.ggml.model = gpt2`),
/// matching llama.cpp's `llama_tokenize` (no BOS added; special tokens parsed only on request).
public final class Tokenizer: Sendable {
    /// Token type codes of `tokenizer.ggml.token_type`.
    public enum TokenType: Int32, Sendable {
        case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    public let tokens: [String]
    public let types: [TokenType]
    public let bosID: Int32?
    public let eosID: Int32?
    /// Ids that end generation: EOS plus end-of-turn tokens llama.cpp also treats as EOG.
    public let eosIDs: Set<Int32>
    public let preTokenizer: PreTokenizerKind
    public var vocabSize: Int { tokens.count }

    private let idOf: [String: Int32]
    /// (left id, right id) → (rank, merged id)
    private let merges: [UInt64: (rank: Int32, id: Int32)]
    /// Special tokens tried when partitioning, longest text first.
    private let specials: [(text: String, id: Int32, type: TokenType)]
    private let pre: PreTokenizer
    private let pieceCache = Mutex<[String: [Int32]]>([:])

    /// Token texts llama.cpp adds to the end-of-generation set when present.
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "<|end_of_text|>", "<|return|>", "<|call|>",
    ]

    public init(gguf: GGUFFile) throws {
        let f = gguf.path
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else {
            throw GGUFError.invalidValue(file: f, field: "tokenizer.ggml.model",
                                         value: "\"\(model)\" (only byte-level BPE, \"gpt2\", is supported)")
        }
        preTokenizer = try PreTokenizerKind(ggufName: try gguf.optionalString("tokenizer.ggml.pre") ?? "default", file: f)
        pre = PreTokenizer(kind: preTokenizer)
        let tokens = try gguf.stringArray("tokenizer.ggml.tokens")
        self.tokens = tokens
        let types: [TokenType]
        if gguf.metadata["tokenizer.ggml.token_type"] != nil {
            let raw = try gguf.intArray("tokenizer.ggml.token_type")
            guard raw.count == tokens.count else {
                throw GGUFError.invalidValue(file: f, field: "tokenizer.ggml.token_type", value: "\(raw.count) entries for \(tokens.count) tokens")
            }
            types = raw.map { TokenType(rawValue: Int32($0)) ?? .undefined }
        } else {
            types = Array(repeating: .normal, count: tokens.count)
        }
        var idOf: [String: Int32] = [:]
        idOf.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where idOf[t] == nil { idOf[t] = Int32(i) }
        self.idOf = idOf

        let mergeLines = try gguf.stringArray("tokenizer.ggml.merges")
        var merges: [UInt64: (rank: Int32, id: Int32)] = [:]
        merges.reserveCapacity(mergeLines.count)
        for (rank, line) in mergeLines.enumerated() {
            guard let sp = line.firstIndex(of: " ", after: line.startIndex) else {
                throw GGUFError.invalidValue(file: f, field: "tokenizer.ggml.merges[\(rank)]", value: "\"\(line)\"")
            }
            let a = String(line[..<sp]), b = String(line[line.index(after: sp)...])
            guard let ia = idOf[a], let ib = idOf[b], let im = idOf[a + b] else { continue }
            let key = UInt64(UInt32(ia)) << 32 | UInt64(UInt32(ib))
            if merges[key] == nil { merges[key] = (Int32(rank), im) }
        }
        self.merges = merges

        self.types = types
        func tokenID(_ key: String) throws -> Int32? {
            guard let v = try gguf.optionalInt(key) else { return nil }
            guard v >= 0 && v < tokens.count else { throw GGUFError.invalidValue(file: f, field: key, value: "\(v)") }
            return Int32(v)
        }
        let eosID = try tokenID("tokenizer.ggml.eos_token_id")
        bosID = try tokenID("tokenizer.ggml.bos_token_id")
        self.eosID = eosID
        var eog = Set<Int32>()
        if let eosID { eog.insert(eosID) }
        if let eot = try tokenID("tokenizer.ggml.eot_token_id") { eog.insert(eot) }
        for (i, t) in tokens.enumerated() where Self.endOfGenerationTexts.contains(t) && types[i] == .control { eog.insert(Int32(i)) }
        eosIDs = eog

        specials = tokens.indices
            .filter { [.control, .userDefined, .unknown].contains(types[$0]) && !tokens[$0].isEmpty }
            .map { (tokens[$0], Int32($0), types[$0]) }
            .sorted { $0.text.utf8.count != $1.text.utf8.count ? $0.text.utf8.count > $1.text.utf8.count : $0.id < $1.id }
    }

    /// The id of a token's exact text, if it is in the vocabulary.
    public func id(of token: String) -> Int32? { idOf[token] }

    // MARK: encode

    /// Token ids of `text`. With `parseSpecial`, control-token texts (e.g. `<|im_start|>`) become
    /// their ids; user-defined tokens are always matched, as in llama.cpp.
    public func encode(_ text: String, parseSpecial: Bool = false) -> [Int32] {
        var out: [Int32] = []
        for part in partition(text, parseSpecial: parseSpecial) {
            switch part {
            case let .special(id): out.append(id)
            case let .text(t):
                for piece in pre.split(t) { encodePiece(piece, into: &out) }
            }
        }
        return out
    }

    private enum Part { case text(String), special(Int32) }

    /// Splits raw text around special-token occurrences (longest token first).
    private func partition(_ text: String, parseSpecial: Bool) -> [Part] {
        var parts: [Part] = [.text(text)]
        for sp in specials {
            if !parseSpecial && sp.type != .userDefined { continue }
            var next: [Part] = []
            for p in parts {
                guard case let .text(t) = p, t.contains(sp.text) else { next.append(p); continue }
                var rest = Substring(t)
                while let r = rest.range(of: sp.text) {
                    if r.lowerBound > rest.startIndex { next.append(.text(String(rest[..<r.lowerBound]))) }
                    next.append(.special(sp.id))
                    rest = rest[r.upperBound...]
                }
                if !rest.isEmpty { next.append(.text(String(rest))) }
            }
            parts = next
        }
        return parts
    }

    private func encodePiece(_ piece: ArraySlice<Unicode.Scalar>, into out: inout [Int32]) {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: piece)
        let bytes = Array(String(s).utf8)
        let mapped = ByteLevel.mapped(bytes)
        if let cached = pieceCache.withLock({ $0[mapped] }) { out.append(contentsOf: cached); return }
        let ids = bpe(mapped)
        pieceCache.withLock { cache in
            if cache.count > 200_000 { cache.removeAll(keepingCapacity: true) }
            cache[mapped] = ids
        }
        out.append(contentsOf: ids)
    }

    /// Merges the characters of one mapped piece by rank, lowest first, leftmost on ties.
    private func bpe(_ mapped: String) -> [Int32] {
        if let whole = idOf[mapped] , mapped.unicodeScalars.count == 1 { return [whole] }
        var symbols: [Int32] = []
        var unknownChars: [Int: String] = [:]
        for (i, ch) in mapped.unicodeScalars.enumerated() {
            let t = String(ch)
            if let id = idOf[t] { symbols.append(id) } else { symbols.append(-1); unknownChars[i] = t }
        }
        if unknownChars.isEmpty {
            while symbols.count > 1 {
                var best: (rank: Int32, index: Int, id: Int32)?
                for i in 0..<(symbols.count - 1) {
                    let key = UInt64(UInt32(symbols[i])) << 32 | UInt64(UInt32(symbols[i + 1]))
                    if let m = merges[key], best == nil || m.rank < best!.rank { best = (m.rank, i, m.id) }
                }
                guard let b = best else { break }
                symbols[b.index] = b.id
                symbols.remove(at: b.index + 1)
            }
            return symbols
        }
        // A character outside the vocabulary cannot take part in merges; llama.cpp emits the
        // unknown token for it.
        let unk = idOf["<unk>"] ?? 0
        return symbols.map { $0 < 0 ? unk : $0 }
    }

    // MARK: decode

    /// Text of `ids`. Control tokens are dropped when `skipSpecial`, else written as their text.
    /// Invalid UTF-8 (a token sequence cut inside a character) becomes U+FFFD.
    public func decode(_ ids: [Int32], skipSpecial: Bool = true) -> String {
        String(decoding: bytes(of: ids, skipSpecial: skipSpecial), as: UTF8.self)
    }

    /// Raw bytes of `ids` (useful to stream text without splitting a character).
    public func bytes(of ids: [Int32], skipSpecial: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        for id in ids {
            guard id >= 0 && Int(id) < tokens.count else { continue }
            let t = tokens[Int(id)]
            switch types[Int(id)] {
            case .control, .unknown:
                if !skipSpecial { out.append(contentsOf: t.utf8) }
            case .userDefined:
                out.append(contentsOf: t.utf8)
            default:
                for s in t.unicodeScalars {
                    if let b = ByteLevel.decode[s.value] { out.append(b) } else { out.append(contentsOf: String(s).utf8) }
                }
            }
        }
        return out
    }
}

private extension String {
    /// First index of `ch` strictly after `start` (merge lines may begin with a space token).
    func firstIndex(of ch: Character, after start: Index) -> Index? {
        guard start < endIndex else { return nil }
        return self[index(after: start)...].firstIndex(of: ch)
    }
}
