import Foundation
import PolicySpec

/// What to generate: greedy decoding from prompt ids.
public struct GenerationRequest: Sendable {
    public var promptIDs: [Int32]
    public var maxNewTokens: Int
    /// Token ids that end generation (included in `tokens`, not in `text`); nil = model EOS ids.
    public var stopIDs: Set<Int32>?
    /// Generation ends when the text contains one of these; the text is cut before it.
    public var stopStrings: [String]
    /// How many of the first generated position's logits to report.
    public var topLogits: Int
    /// EOS is suppressed until this many tokens exist (transformers' `min_length` − prompt).
    public var minNewTokens: Int
    /// KV compression applied once after prefill; nil = FullKV.
    public var policy: BudgetedPolicy?
    /// Cache layout when no policy is given (a policy carries its own).
    public var layout: CacheLayout
    /// Element type of the cache after prefill (f32 unless asked; see `KVDType`).
    public var kvDType: KVDType
    /// The question after compression: the first this-many prompt tokens (the context) are
    /// prefilled and compressed, their own tail as the observation window; the rest (the
    /// question) is then prefilled into the compressed cache, at the positions that follow the
    /// context, and decoding starts. nil: the whole prompt is prefilled, then compressed.
    public var compressedPrefix: Int?
    /// A later question on the cache compressed for another prompt (`questions: k`,
    /// question-aware): that prompt is prefilled and compressed, the rows of its question
    /// dropped, then this prompt's question is prefilled. nil: this prompt is compressed.
    public var lead: LeadCompression?

    /// The tokens prefilled before compression (the whole prompt unless `compressedPrefix` or `lead`).
    public var compressedIDs: [Int32] {
        if let lead { return lead.promptIDs }
        return compressedPrefix.map { Array(promptIDs[..<$0]) } ?? promptIDs
    }
    /// The tokens prefilled into the compressed cache (none unless `compressedPrefix` or `lead`).
    public var appendedIDs: [Int32] {
        if let lead { return Array(promptIDs[lead.contextTokens...]) }
        return compressedPrefix.map { Array(promptIDs[$0...]) } ?? []
    }

    public init(promptIDs: [Int32], maxNewTokens: Int = 128, stopIDs: Set<Int32>? = nil, stopStrings: [String] = [],
                topLogits: Int = 0, minNewTokens: Int = 0, policy: BudgetedPolicy? = nil, layout: CacheLayout = .kvHead,
                kvDType: KVDType = .f32, compressedPrefix: Int? = nil) {
        self.policy = policy
        self.compressedPrefix = compressedPrefix
        self.promptIDs = promptIDs
        self.maxNewTokens = maxNewTokens
        self.stopIDs = stopIDs
        self.stopStrings = stopStrings
        self.topLogits = topLogits
        self.minNewTokens = minNewTokens
        self.layout = layout
        self.kvDType = kvDType
    }
}

public struct TokenLogit: Codable, Sendable, Equatable {
    public var id: Int32
    public var logit: Float
}

/// The prompt whose compressed cache a later question reuses, and where its question starts.
public struct LeadCompression: Sendable, Equatable {
    /// The shared context, then the lead question.
    public var promptIDs: [Int32]
    /// Tokens of the shared context: the request's prompt starts with the same ones.
    public var contextTokens: Int

    public init(promptIDs: [Int32], contextTokens: Int) {
        self.promptIDs = promptIDs
        self.contextTokens = contextTokens
    }
}

/// The outcome of one generation, as the CLI prints it (`--json`) and workers post it.
public struct GenerationResult: Codable, Sendable {
    public var text: String
    public var tokens: [Int32]
    public var promptTokens: Int
    public var topLogits: [TokenLogit]
    public var prefillMs: Double
    public var decodeMs: Double
    /// Bytes of K/V actually held in the cache after generation.
    public var kvBytes: Int
    /// "eos", "stop_string", "max_new_tokens"
    public var stopReason: String

    enum CodingKeys: String, CodingKey {
        case text, tokens
        case promptTokens = "prompt_tokens"
        case topLogits = "top_logits"
        case prefillMs = "prefill_ms"
        case decodeMs = "decode_ms"
        case kvBytes = "kv_bytes"
        case stopReason = "stop_reason"
    }
}

/// Greedy generation on a loaded model.
public struct Generator {
    public let model: LanguageModel

    public init(model: LanguageModel) { self.model = model }

    /// Runs `request`; with `snapshot` (a prefill of the same prompt that serves the policy,
    /// see `PrefillSnapshot.serves`) the forward pass over the prompt is skipped and only the
    /// policy's selection runs, so `prefillMs` is the time of the restore and selection.
    public func generate(_ request: GenerationRequest, from snapshot: PrefillSnapshot? = nil) throws -> GenerationResult {
        guard request.maxNewTokens >= 0 else {
            throw EngineError.invalidArgument(name: "max_new_tokens", value: "\(request.maxNewTokens)", reason: "must be ≥ 0")
        }
        let total = request.promptIDs.count + request.maxNewTokens
        let limit = max(model.config.contextLength, 1) * 4
        guard total <= limit else {
            throw EngineError.promptTooLong(tokens: total, limit: limit, contextLength: model.config.contextLength)
        }
        if let split = request.compressedPrefix, !(1..<request.promptIDs.count).contains(split) {
            throw EngineError.invalidArgument(name: "compressed_prefix", value: "\(split)",
                                              reason: "must leave context and question tokens (1..<\(request.promptIDs.count))")
        }
        if let lead = request.lead {
            let c = lead.contextTokens
            guard request.compressedPrefix == nil else {
                throw EngineError.invalidArgument(name: "lead", value: "\(c) context tokens", reason: "excludes compressed_prefix")
            }
            guard c >= 1, c < lead.promptIDs.count, c < request.promptIDs.count,
                  lead.promptIDs[..<c] == request.promptIDs[..<c] else {
                throw EngineError.invalidArgument(name: "lead", value: "\(c) context tokens",
                                                  reason: "the lead prompt (\(lead.promptIDs.count) tokens) and this one (\(request.promptIDs.count)) must share that context and each add a question")
            }
        }
        let stopIDs = request.stopIDs ?? model.tokenizer.eosIDs
        let kvPolicy = try request.policy.flatMap(KVPolicies.make)
        let session = InferenceSession(model: model, layout: request.policy?.layout ?? request.layout, kvDType: request.kvDType)

        let t0 = DispatchTime.now()
        var logits: [Float]
        if let snapshot {
            guard snapshot.promptIDs == request.compressedIDs else {
                throw EngineError.invalidArgument(name: "snapshot", value: "\(snapshot.promptIDs.count) tokens",
                                                  reason: "is a prefill of another prompt")
            }
            guard try snapshot.serves(request.policy) else {
                throw EngineError.invalidArgument(name: "snapshot", value: "window \(snapshot.window)",
                                                  reason: "does not hold the evidence \(request.policy?.name.rawValue ?? "fullkv") needs")
            }
            logits = try KVCompression.restore(snapshot, into: session, policy: kvPolicy).logits
        } else {
            logits = try KVCompression.prefillAndCompress(session: session, ids: request.compressedIDs, policy: kvPolicy).logits
        }
        if let lead = request.lead { session.forget(from: lead.contextTokens) }
        let appended = request.appendedIDs
        if !appended.isEmpty { logits = try session.prefill(appended) }
        session.releasePrefillScratch()
        let prefillMs = Self.ms(since: t0)
        let top = Self.top(logits, k: request.topLogits)

        let t1 = DispatchTime.now()
        var tokens: [Int32] = []
        var reason = "max_new_tokens"
        var text = ""
        while tokens.count < request.maxNewTokens {
            let next: Int32
            if tokens.count < request.minNewTokens {
                for id in stopIDs where Int(id) < logits.count { logits[Int(id)] = -.infinity }
                next = Int32(logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!)
            } else {
                next = session.argmaxOfLastLogits()  // C argmax, first index on ties, as above
            }
            tokens.append(next)
            if stopIDs.contains(next) { reason = "eos"; break }
            if !request.stopStrings.isEmpty {
                text = model.tokenizer.decode(tokens)
                if let cut = Self.firstStop(in: text, stops: request.stopStrings) {
                    text = String(text[..<cut])
                    reason = "stop_string"
                    break
                }
            }
            if tokens.count == request.maxNewTokens { break }
            logits = try session.step(next)
        }
        if reason != "stop_string" {
            text = model.tokenizer.decode(reason == "eos" ? Array(tokens.dropLast()) : tokens)
        }
        return GenerationResult(text: text, tokens: tokens, promptTokens: request.promptIDs.count, topLogits: top,
                                prefillMs: prefillMs, decodeMs: Self.ms(since: t1), kvBytes: session.cache.bytes,
                                stopReason: reason)
    }

    static func ms(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e6 }

    static func firstStop(in text: String, stops: [String]) -> String.Index? {
        stops.compactMap { $0.isEmpty ? nil : text.range(of: $0)?.lowerBound }.min()
    }

    /// The k largest logits, descending (ties by lower id).
    public static func top(_ logits: [Float], k: Int) -> [TokenLogit] {
        guard k > 0 else { return [] }
        return logits.indices
            .sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            .prefix(k)
            .map { TokenLogit(id: Int32($0), logit: logits[$0]) }
    }
}
