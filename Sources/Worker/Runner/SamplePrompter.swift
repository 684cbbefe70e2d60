import TaskSpec
import FleetCore
import Foundation
import KVEngine
import KVEval
import PolicySpec

/// Turns a job's samples into engine requests exactly as the reference drivers do:
/// needle cells with KVCache-Factory's needle builder, LongBench records with pred.py's
/// template, middle truncation and chat rule (`kvcache-factory` protocol), RULER records
/// (datasets "ruler_<task>") as RULER prompts them (`RULERPrompt`).
/// The coordinator's sample page calls the same functions (`needlePrompt`, `request`), so what
/// it shows is what a worker ran.
public final class SamplePrompter {
    public let model: LanguageModel
    public let spec: JobSpec
    public let policy: BudgetedPolicy?
    private let tokenizer: EngineTokenizer
    private var needleBuilder: NeedlePromptBuilder<EngineTokenizer>?
    private let haystackDirectory: String
    /// The job's uploaded haystack (`needle.haystack_sha256`), which replaces the local one.
    private let haystackBlob: (sha256: String, text: String)?

    public init(model: LanguageModel, spec: JobSpec, haystackDirectory: String,
                haystackBlob: (sha256: String, text: String)? = nil) throws {
        self.model = model
        self.spec = spec
        self.haystackDirectory = haystackDirectory
        self.haystackBlob = haystackBlob
        let template = (try? model.requireChatTemplate()) ?? ChatTemplate(family: .chatML)
        let addBOS = (try? model.gguf.optionalBool("tokenizer.ggml.add_bos_token")) ?? nil
        tokenizer = EngineTokenizer(tokenizer: model.tokenizer, template: template, addBOS: addBOS ?? false)
        policy = try spec.budgetedPolicy()
    }

    public var layout: CacheLayout { policy?.layout ?? .kvHead }

    /// A needle cell's prompt, as the job's protocol, texts and haystack build it.
    public func needlePrompt(for stored: StoredSample) throws -> NeedlePrompt {
        let s = stored.sample
        guard s.benchmark == .needle, let length = s.length, let depth = s.depth else {
            throw WorkerError.badSample(id: stored.id, reason: "not a needle cell (no length/depth)")
        }
        return try needle(minTokens: length).build(length: length, depth: depth)
    }

    public func request(for stored: StoredSample) throws -> GenerationRequest {
        let s = stored.sample
        switch s.benchmark {
        case .needle:
            let prompt = try needlePrompt(for: stored)
            var stop = model.tokenizer.eosIDs
            if let nl = model.tokenizer.encode("\n").last { stop.insert(nl) }
            return GenerationRequest(promptIDs: prompt.ids, maxNewTokens: spec.maxNewTokens, stopIDs: stop,
                                     stopStrings: spec.stop, policy: policy, layout: layout,
                                     compressedPrefix: try compressedPrefix(questionStart: prompt.questionStart, sample: stored))
        case .longbench:
            let record = LongBenchRecord(input: s.input ?? "", context: s.context ?? "", answers: s.answers ?? [],
                                         length: s.recordLength ?? 0, dataset: s.dataset, language: "en",
                                         allClasses: s.allClasses, id: s.recordId ?? stored.id)
            if let task = RULERPrompt.task(ofDataset: s.dataset) {
                // RULER records are generated to fit their length: no truncation, the answer prefix
                // after the chat template's generation prompt.
                let ids = RULERPrompt.ids(record: record, tokenizer: tokenizer, chatTemplate: spec.applyChatTemplate)
                var questionStart: Int?
                if spec.questionTiming == .afterCompression {
                    do {
                        questionStart = try RULERPrompt.questionStart(record: record, task: task, tokenizer: tokenizer,
                                                                      chatTemplate: spec.applyChatTemplate)
                    } catch { throw WorkerError.badSample(id: stored.id, reason: error.description) }
                }
                var request = GenerationRequest(promptIDs: ids, maxNewTokens: spec.maxNewTokens, stopIDs: model.tokenizer.eosIDs,
                                                stopStrings: spec.stop, policy: policy, layout: layout,
                                                compressedPrefix: try compressedPrefix(questionStart: questionStart, sample: stored))
                if spec.reusesLeadCompression, s.questionIndex != nil, let leadContext = s.leadContext, let leadInput = s.leadInput {
                    // A follow-up on the cache compressed for its lead's prompt (`questions: k`).
                    var lead = record
                    lead.context = leadContext
                    lead.input = leadInput
                    do {
                        let contextTokens = try RULERPrompt.questionStart(record: lead, task: task, tokenizer: tokenizer,
                                                                          chatTemplate: spec.applyChatTemplate)
                        request.lead = LeadCompression(
                            promptIDs: RULERPrompt.ids(record: lead, tokenizer: tokenizer, chatTemplate: spec.applyChatTemplate),
                            contextTokens: contextTokens)
                    } catch { throw WorkerError.badSample(id: stored.id, reason: "its lead: \(error.description)") }
                }
                return request
            }
            let config = try Self.longBenchConfig(for: spec, dataset: LongBenchDatasets.baseName(s.dataset))
            let proto = LongBenchProtocol(preset: .kvcacheFactory, maxLength: spec.maxLength ?? LongBenchProtocol.defaultMaxLength,
                                          chatTemplate: spec.applyChatTemplate)
            let prompt = try LongBenchPromptBuilder(config: config, protocol: proto).build(record, tokenizer: tokenizer)
            return GenerationRequest(promptIDs: prompt.ids, maxNewTokens: prompt.maxNewTokens, stopIDs: Set(prompt.stopIDs),
                                     stopStrings: spec.stop, minNewTokens: prompt.minNewTokens, policy: policy, layout: layout)
        }
    }

    /// Under `question: after-compression`, where the prompt's question starts (the engine
    /// compresses the tokens before it); nil under `aware`.
    private func compressedPrefix(questionStart: Int?, sample: StoredSample) throws -> Int? {
        guard spec.questionTiming == .afterCompression else { return nil }
        guard let questionStart, questionStart > 0 else {
            throw WorkerError.badSample(id: sample.id, reason: "the prompt has no context before its question")
        }
        return questionStart
    }

    /// The bundled config with this job's own recipe for its dataset: the template, new-token
    /// limit and chat rule travel in the job (from `submit longbench --config F` or the bundled
    /// config), so a job built from a user's config runs as submitted.
    static func longBenchConfig(for spec: JobSpec, dataset: String) throws -> LongBenchConfig {
        var config = try LongBenchConfig.bundled()
        config.prompt[dataset] = spec.promptTemplate
        config.maxNewTokens[dataset] = spec.maxNewTokens
        if spec.applyChatTemplate { config.noChatTemplate.remove(dataset) } else { config.noChatTemplate.insert(dataset) }
        return config
    }

    static func needleProtocol(_ settings: NeedleSettings) throws -> NeedleProtocol {
        guard let name = settings.protocolName else { return .kvcacheFactory }
        guard let p = NeedleProtocol(rawValue: name) else { throw WorkerError.unknownNeedleProtocol(name) }
        return p
    }

    private func needle(minTokens: Int) throws -> NeedlePromptBuilder<EngineTokenizer> {
        if let b = needleBuilder, b.haystack.tokens.count >= minTokens { return b }
        let settings = spec.needle ?? NeedleSettings()
        let haystack: NeedleHaystack
        if let blob = haystackBlob {
            haystack = try NeedleHaystack(text: blob.text, named: "blob:\(blob.sha256)", minTokens: max(minTokens, NeedleHaystack.defaultMinTokens),
                                          tokenizer: tokenizer)
        } else {
            haystack = try NeedleHaystack(directory: haystackDirectory, minTokens: max(minTokens, NeedleHaystack.defaultMinTokens), tokenizer: tokenizer)
        }
        let b = NeedlePromptBuilder(tokenizer: tokenizer, haystack: haystack, needle: settings.needle,
                                    question: settings.question, buffer: settings.bufferTokens,
                                    protocol: try Self.needleProtocol(settings), template: settings.promptTemplate)
        needleBuilder = b
        return b
    }
}
