import TaskSpec

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
    /// Where the question part of `ids` starts: the length of the longest common prefix of `ids`
    /// and the wrapper's text up to the end of the context, tokenized alone (the split the
    /// `after-compression` protocol compresses at). nil in prompts recorded before it existed.
    public var questionStart: Int?
}

/// KVCache-Factory run_needle_in_haystack.py (HEAD c97f9d7), cell by cell:
/// trim the haystack to `length` tokens (decode the first `length` ids), re-encode, subtract the
/// 200-token buffer, cut the haystack to `length − 200 − |needle|` when needle + haystack exceed
/// it, insert at `int(len · depth / 100)` walked back to just after a "." token (depth 100
/// appends), decode, and wrap it in the protocol's prompt: the completion template tokenized
/// with special tokens (`kvcache-factory`), or the filled template as the user message of the
/// model's chat template (`chat`, tokenized as the template's own specials, no extra BOS).
public struct NeedlePromptBuilder<T: PromptTokenizer>: Sendable {
    public let tokenizer: T
    public let haystack: NeedleHaystack
    public let needle: String
    public let question: String
    public let buffer: Int
    public let promptProtocol: NeedleProtocol
    /// The wrapper with `{context}` and `{question}`.
    public let template: String
    /// `encode_text_to_tokens('.')` — the driver's generic branch (Llama-3's [13] is the same rule).
    public let periodTokens: Set<Int32>

    public init(tokenizer: T, haystack: NeedleHaystack, needle: String = NeedleTexts.needle,
                question: String? = nil, buffer: Int = NeedleTexts.buffer,
                protocol promptProtocol: NeedleProtocol = .kvcacheFactory, template: String? = nil) {
        self.tokenizer = tokenizer; self.haystack = haystack; self.needle = needle
        self.question = question ?? promptProtocol.defaultQuestion; self.buffer = buffer
        self.promptProtocol = promptProtocol
        self.template = template ?? promptProtocol.defaultTemplate
        self.periodTokens = Set(tokenizer.encodePlain("."))
    }

    /// Python `list[:stop]` for a possibly negative stop.
    static func prefix(_ a: [Int32], _ stop: Int) -> [Int32] {
        let s = stop < 0 ? max(0, a.count + stop) : min(stop, a.count)
        return Array(a[..<s])
    }

    /// The prompt text before and after the haystack (question filled in, chat wrapper included).
    func wrapper() throws(PromptError) -> (head: String, tail: String) {
        guard let slot = template.range(of: "{context}") else { throw .needleTemplateWithoutContext(template: template) }
        let fields = ["question": question]
        var head = try LongBenchPromptBuilder.format(String(template[..<slot.lowerBound]), fields: fields, dataset: "needle")
        var tail = try LongBenchPromptBuilder.format(String(template[slot.upperBound...]), fields: fields, dataset: "needle")
        if promptProtocol.usesChatTemplate {
            // The chat rendering around a marker gives the text before and after the user turn.
            let marker = "\u{1}needle-context\u{1}"
            let rendered = tokenizer.chat(user: marker)
            guard let m = rendered.range(of: marker) else { return (head, tail) }
            head = String(rendered[..<m.lowerBound]) + head
            tail += String(rendered[m.upperBound...])
        }
        return (head, tail)
    }

    func encodePrompt(_ text: String) -> [Int32] {
        promptProtocol.usesChatTemplate ? tokenizer.encodePlain(text) : tokenizer.encodeWithSpecial(text)
    }

    public func build(length: Int, depth: Int) throws(PromptError) -> NeedlePrompt {
        guard length > 0 else { throw .invalidCell(length: length, depth: depth, reason: "length must be positive") }
        guard (0...100).contains(depth) else { throw .invalidCell(length: length, depth: depth, reason: "depth must be 0...100") }
        let (head, tail) = try wrapper()
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
        let ids = encodePrompt(head + newContext + tail)

        let headIDs = encodePrompt(head + tokenizer.decodeSkippingSpecial(before))
        let tailIDs = tokenizer.encodePlain(tokenizer.decodeSkippingSpecial(after) + tail)
        var a = 0
        while a < min(headIDs.count, ids.count), headIDs[a] == ids[a] { a += 1 }
        var s = 0
        while s < min(tailIDs.count, ids.count - a), tailIDs[tailIDs.count - 1 - s] == ids[ids.count - 1 - s] { s += 1 }
        let contextIDs = encodePrompt(head + newContext)
        return NeedlePrompt(length: length, depth: depth, ids: ids, needleSpan: [a, ids.count - s], insertionPoint: insertion,
                            questionStart: TokenPrefix.sharedLength(ids, contextIDs))
    }
}
