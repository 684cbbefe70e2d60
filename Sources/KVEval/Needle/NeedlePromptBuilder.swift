/// A needle prompt and where the needle landed in it.
public struct NeedlePrompt: Sendable, Codable, Equatable {
    public var length: Int
    public var depth: Int
    public var ids: [Int32]
    /// Half-open token range [start, end) of `ids` that carries the needle: the tokens after the
    /// longest common prefix with the re-tokenized text before the needle, up to the longest
    /// common suffix with the re-tokenized text after it.
    public var needleSpan: [Int]
    /// Token index in the trimmed haystack where the needle went (after the walk back to ".").
    public var insertionPoint: Int
}

/// KVCache-Factory run_needle_in_haystack.py (HEAD c97f9d7), cell by cell:
/// trim the haystack to `length` tokens (decode the first `length` ids), re-encode, subtract the
/// 200-token buffer, cut the haystack to `length − 200 − |needle|` when needle + haystack exceed
/// it, insert at `int(len · depth / 100)` walked back to just after a "." token (depth 100
/// appends), decode, wrap in the completion prompt (no chat template) and tokenize.
public struct NeedlePromptBuilder<T: PromptTokenizer>: Sendable {
    public let tokenizer: T
    public let haystack: NeedleHaystack
    public let needle: String
    public let question: String
    public let buffer: Int
    /// `encode_text_to_tokens('.')` — the driver's generic branch (Llama-3's [13] is the same rule).
    public let periodTokens: Set<Int32>

    public init(tokenizer: T, haystack: NeedleHaystack, needle: String = NeedleTexts.needle,
                question: String = NeedleTexts.retrievalQuestion, buffer: Int = NeedleTexts.buffer) {
        self.tokenizer = tokenizer; self.haystack = haystack; self.needle = needle
        self.question = question; self.buffer = buffer
        self.periodTokens = Set(tokenizer.encodePlain("."))
    }

    /// Python `list[:stop]` for a possibly negative stop.
    static func prefix(_ a: [Int32], _ stop: Int) -> [Int32] {
        let s = stop < 0 ? max(0, a.count + stop) : min(stop, a.count)
        return Array(a[..<s])
    }

    public func build(length: Int, depth: Int) throws(PromptError) -> NeedlePrompt {
        guard length > 0 else { throw .invalidCell(length: length, depth: depth, reason: "length must be positive") }
        guard (0...100).contains(depth) else { throw .invalidCell(length: length, depth: depth, reason: "depth must be 0...100") }
        // encode_and_trim
        var context = haystack.text
        if haystack.tokens.count > length {
            context = tokenizer.decodeSkippingSpecial(Array(haystack.tokens[..<length]))
        }
        // insert_needle
        let needleTokens = tokenizer.encodePlain(needle)
        var contextTokens = tokenizer.encodePlain(context)
        let budget = length - buffer
        if contextTokens.count + needleTokens.count > budget {
            contextTokens = Self.prefix(contextTokens, budget - needleTokens.count)
        }
        let before: [Int32], after: [Int32]
        var insertion: Int
        if depth == 100 {
            before = contextTokens; after = []; insertion = contextTokens.count
        } else {
            insertion = Int(Double(contextTokens.count) * (Double(depth) / 100))
            var head = Array(contextTokens[..<insertion])
            while let last = head.last, !periodTokens.contains(last) {
                insertion -= 1
                head = Array(contextTokens[..<insertion])
            }
            before = head
            after = Array(contextTokens[insertion...])
        }
        let newContext = tokenizer.decodeSkippingSpecial(before + needleTokens + after)
        let ids = tokenizer.encodeWithSpecial(NeedleTexts.prompt(context: newContext, question: question))

        let headIDs = tokenizer.encodeWithSpecial(NeedleTexts.promptPrefix + tokenizer.decodeSkippingSpecial(before))
        let tailIDs = tokenizer.encodePlain(tokenizer.decodeSkippingSpecial(after) + NeedleTexts.promptSuffix(question: question))
        var a = 0
        while a < min(headIDs.count, ids.count), headIDs[a] == ids[a] { a += 1 }
        var s = 0
        while s < min(tailIDs.count, ids.count - a), tailIDs[tailIDs.count - 1 - s] == ids[ids.count - 1 - s] { s += 1 }
        return NeedlePrompt(length: length, depth: depth, ids: ids, needleSpan: [a, ids.count - s], insertionPoint: insertion)
    }
}
