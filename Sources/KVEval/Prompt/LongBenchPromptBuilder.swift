/// Builds LongBench prompts as pred.py / run_longbench.py do:
/// template from the config (Python `str.format`), tokenize, middle-truncate to `maxLength`
/// (first ⌊m/2⌋ and last ⌊m/2⌋ ids, each half decoded without special tokens, joined as text),
/// chat template after truncation (except trec, triviaqa, samsum, lsht, lcc, repobench-p),
/// re-tokenize; `max_new_tokens` from `dataset2maxlen`; stop ids per preset.
public struct LongBenchPromptBuilder: Sendable {
    public var config: LongBenchConfig
    public var protocolUsed: LongBenchProtocol

    public init(config: LongBenchConfig, protocol p: LongBenchProtocol) {
        self.config = config; self.protocolUsed = p
    }

    /// Python `template.format(**record)` for the fields a LongBench record has.
    public static func format(_ template: String, fields: [String: String], dataset: String) throws(PromptError) -> String {
        var out = ""
        var it = Array(template.unicodeScalars)[...]
        var view = String.UnicodeScalarView()
        while let c = it.first {
            it = it.dropFirst()
            if c == "{" {
                if it.first == "{" { view.append("{"); it = it.dropFirst(); continue }
                guard let close = it.firstIndex(of: "}") else { throw .badTemplate(dataset: dataset, template: template) }
                var nameView = String.UnicodeScalarView(); nameView.append(contentsOf: it[it.startIndex..<close])
                let name = String(nameView)
                guard let value = fields[name] else { throw .templateField(dataset: dataset, field: name) }
                view.append(contentsOf: value.unicodeScalars)
                it = it[(close + 1)...]
            } else if c == "}" {
                guard it.first == "}" else { throw .badTemplate(dataset: dataset, template: template) }
                view.append("}"); it = it.dropFirst()
            } else {
                view.append(c)
            }
        }
        out = String(view)
        return out
    }

    /// pred.py's middle truncation of already-tokenized ids; nil when no truncation is needed.
    public static func middleTruncate(_ ids: [Int32], maxLength: Int, tokenizer: some PromptTokenizer) -> String? {
        guard ids.count > maxLength else { return nil }
        let half = maxLength / 2
        // Python: tokenized_prompt[-half:] is the whole list when half == 0.
        let tail = half == 0 ? ids[...] : ids[(ids.count - half)...]
        return tokenizer.decodeSkippingSpecial(Array(ids[..<half])) + tokenizer.decodeSkippingSpecial(Array(tail))
    }

    public func build(_ record: LongBenchRecord, tokenizer: some PromptTokenizer) throws(PromptError) -> LongBenchPrompt {
        let dataset = LongBenchDatasets.baseName(record.dataset)
        guard let template = config.prompt[dataset], let maxNew = config.maxNewTokens[dataset] else {
            throw .unknownDataset(record.dataset)
        }
        guard protocolUsed.maxLength >= 2 else { throw .invalidMaxLength(protocolUsed.maxLength) }
        var text = try Self.format(template, fields: ["context": record.context, "input": record.input], dataset: dataset)
        let first = tokenizer.encodeWithSpecial(text)
        let truncatedText = Self.middleTruncate(first, maxLength: protocolUsed.maxLength, tokenizer: tokenizer)
        if let truncatedText { text = truncatedText }
        let useChat = protocolUsed.chatTemplate && !config.noChatTemplate.contains(dataset)
        if useChat { text = tokenizer.chat(user: text) }
        let ids: [Int32]
        if useChat && protocolUsed.preset == .kvcacheFactory {
            ids = tokenizer.encodePlain(text)          // template carries its own specials; no extra BOS
        } else {
            ids = tokenizer.encodeWithSpecial(text)
        }
        var stop = tokenizer.eosIDs
        if dataset == "samsum", let nl = tokenizer.encodePlain("\n").last { stop.insert(nl) }
        let minNew = (protocolUsed.preset == .kvcacheFactory || dataset == "samsum") ? 1 : 0
        return LongBenchPrompt(
            dataset: record.dataset, id: record.id, ids: ids, text: text, untruncatedLength: first.count,
            truncated: truncatedText != nil, chatTemplateApplied: useChat, maxNewTokens: maxNew,
            stopIDs: stop.sorted(), minNewTokens: minNew, protocolUsed: protocolUsed)
    }
}
