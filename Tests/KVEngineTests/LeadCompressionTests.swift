import Foundation
@testable import KVEngine
import PolicySpec
import Testing

/// `lead` (`questions: k`, question-aware): a later question runs on the cache compressed for the
/// lead question's prompt, the lead question's rows dropped.
@Suite(.serialized) struct LeadCompressionTests {
    static let context = String(repeating: "The harbour master logs every ship. On Tuesday the Aurora came in with salt and left with wool. ", count: 14)
    static let leadQuestion = " Name the ship that came in on Tuesday, and its cargo. Answer:"
    static let question = " Question: what did the Aurora leave with? Answer:"

    struct Prompts {
        let lead: [Int32]
        let own: [Int32]
        let contextTokens: Int
    }

    func prompts(_ model: LanguageModel) -> Prompts {
        let lead = model.tokenizer.encode(Self.context + Self.leadQuestion)
        let own = model.tokenizer.encode(Self.context + Self.question)
        var c = 0
        while c < min(lead.count, own.count), lead[c] == own[c] { c += 1 }
        return Prompts(lead: lead, own: own, contextTokens: c)
    }

    @Test("FullKV on the lead's cache answers as a fresh prompt: the lead question's rows go, positions resume after the context")
    func fullKVReuseEqualsAFreshPrompt() throws {
        let model = try TestModel.get()
        let p = prompts(model)
        #expect(p.contextTokens > 200 && p.lead.count > p.contextTokens + 4 && p.own.count > p.contextTokens + 4)
        let fresh = try Generator(model: model).generate(GenerationRequest(promptIDs: p.own, maxNewTokens: 8, stopIDs: [], topLogits: 5))
        var request = GenerationRequest(promptIDs: p.own, maxNewTokens: 8, stopIDs: [], topLogits: 5)
        request.lead = LeadCompression(promptIDs: p.lead, contextTokens: p.contextTokens)
        let reused = try Generator(model: model).generate(request)
        #expect(reused.tokens == fresh.tokens)
        #expect(reused.kvBytes == fresh.kvBytes)
        for (a, b) in zip(reused.topLogits, fresh.topLogits) { #expect(a.id == b.id && abs(a.logit - b.logit) < 1e-3) }
    }

    @Test("SnapKV: forgetting keeps the lead's compressed context rows exactly and drops every lead-question row")
    func forgetKeepsTheCompressedContext() throws {
        let model = try TestModel.get()
        let p = prompts(model)
        let snapkv = PolicyConfig(name: .snapkv, layout: .kvHead).budgeted(64)
        let session = InferenceSession(model: model, layout: .kvHead)
        _ = try KVCompression.prefillAndCompress(session: session, ids: p.lead, policy: try KVPolicies.make(snapkv))
        let before = session.cache.layers.map { $0.map { $0.positions } }
        // The window (the lead question's tail) is always kept, so there is something to drop.
        #expect(before.allSatisfy { $0.allSatisfy { $0.contains { Int($0) >= p.contextTokens } } })
        session.forget(from: p.contextTokens)
        #expect(session.position == p.contextTokens)
        for (l, streams) in session.cache.layers.enumerated() {
            for (s, stream) in streams.enumerated() {
                #expect(stream.positions == before[l][s].filter { Int($0) < p.contextTokens })
            }
        }
        // The generator does the same: its cache is those rows plus the own question's.
        var request = GenerationRequest(promptIDs: p.own, maxNewTokens: 1, stopIDs: [], policy: snapkv)
        request.lead = LeadCompression(promptIDs: p.lead, contextTokens: p.contextTokens)
        let reused = try Generator(model: model).generate(request)
        let c = model.config
        let kept = session.cache.layers.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        let questionRows = (p.own.count - p.contextTokens) * c.layers * c.kvHeads
        #expect(reused.kvBytes == (kept + questionRows) * 2 * c.headDim * MemoryLayout<Float>.size)
    }

    @Test("a lead that does not share the context, or leaves no question, is refused")
    func mismatchedLeadsAreRefused() throws {
        let model = try TestModel.get()
        let p = prompts(model)
        for (lead, c) in [(Array(p.lead.reversed()), p.contextTokens), (p.lead, 0), (p.lead, p.lead.count),
                          (Array(p.lead[..<p.contextTokens]), p.contextTokens)] {
            var request = GenerationRequest(promptIDs: p.own, maxNewTokens: 1)
            request.lead = LeadCompression(promptIDs: lead, contextTokens: c)
            #expect(throws: EngineError.self) { try Generator(model: model).generate(request) }
        }
        var both = GenerationRequest(promptIDs: p.own, maxNewTokens: 1, compressedPrefix: p.contextTokens)
        both.lead = LeadCompression(promptIDs: p.lead, contextTokens: p.contextTokens)
        #expect(throws: EngineError.self) { try Generator(model: model).generate(both) }
    }
}
