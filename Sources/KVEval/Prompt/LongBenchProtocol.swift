/// The generation protocol around a LongBench prompt. Two presets, recorded with every result:
/// - `longbench`: the official LongBench v1 pred.py: EOS stop; samsum adds the "\n" token and
///   `min_length = ctx + 1`; the chat template applies after truncation except for the six
///   few-shot/code datasets.
/// - `kvcache-factory`: KVCache-Factory's run_longbench.py at HEAD c97f9d7: all EOS ids ("\n" added
///   for samsum), `min_length = ctx + 1` for every dataset (EOS suppressed at the first step),
///   chat template after truncation with the same exceptions, tokenized without an extra BOS.
public struct LongBenchProtocol: Sendable, Codable, Equatable {
    public enum Preset: String, Sendable, Codable, CaseIterable {
        case longbench
        case kvcacheFactory = "kvcache-factory"
    }

    public var preset: Preset
    /// Middle-truncation length in tokens (LongBench's model2maxlen; KVCache-Factory 7500 for Llama-3).
    public var maxLength: Int
    /// Apply the model's chat template (outside the exception list).
    public var chatTemplate: Bool

    enum CodingKeys: String, CodingKey {
        case preset, maxLength = "max_length", chatTemplate = "chat_template"
    }

    public init(preset: Preset, maxLength: Int, chatTemplate: Bool = true) {
        self.preset = preset; self.maxLength = maxLength; self.chatTemplate = chatTemplate
    }

    /// The middle-truncation length for the default model, SmolLM2-135M-Instruct (a Llama-family
    /// model with an 8k context): KVCache-Factory's `model2maxlen` for 8k Llama models ("llama3",
    /// 7500 at HEAD; 7950 in 2024). The one default for `longbench`, `submit longbench`, `demo`
    /// and the worker; a test checks it against the bundled config's table.
    public static let defaultMaxLength = 7500

    /// Datasets whose prompts never get the chat template (pred.py).
    public static let noChatTemplate: Set<String> = ["trec", "triviaqa", "samsum", "lsht", "lcc", "repobench-p"]
}

/// A built LongBench prompt and everything that decides its generation.
public struct LongBenchPrompt: Sendable, Codable, Equatable {
    public var dataset: String
    public var id: String
    public var ids: [Int32]
    /// The text that was tokenized into `ids`.
    public var text: String
    /// Token count of the formatted prompt before truncation.
    public var untruncatedLength: Int
    public var truncated: Bool
    public var chatTemplateApplied: Bool
    public var maxNewTokens: Int
    /// Generation stops at any of these ids.
    public var stopIDs: [Int32]
    /// EOS suppressed until this many tokens were generated (`min_length = ctx + 1` → 1).
    public var minNewTokens: Int
    public var protocolUsed: LongBenchProtocol

    enum CodingKeys: String, CodingKey {
        case dataset, id = "_id", ids, text
        case untruncatedLength = "untruncated_length", truncated
        case chatTemplateApplied = "chat_template_applied", maxNewTokens = "max_new_tokens"
        case stopIDs = "stop_ids", minNewTokens = "min_new_tokens", protocolUsed = "protocol"
    }
}
