import CKernels
import Foundation
import PolicySpec

/// KVzip's context reconstruction (kvpress 0.5.5 `KVzipPress.prepare`, `score_kvzip`,
/// `_compute_cross_attention`): the prompt after the chat template's prefix is cut into chunks of
/// 2048 tokens; each chunk is replayed after the cached prompt as
/// `"\n\nRepeat the previous context exactly."` (later chunks: `"\n\nRepeat the part of the
/// previous context exactly, starting with"` + the previous chunk's last 8 tokens), the chat
/// template's end of user turn and generation prompt, then the chunk itself. Every replay starts
/// at position n (the cache is rewound after each). In each layer, a replay query's attention is
/// a softmax over the 4 sinks, the chunk's own entries and the replay's (causal) only; an entry's
/// score is its largest probability over the replay queries and the query heads of its KV group.
enum KVzipReconstruction {
    /// The token ids around a replay, from the model's chat template as kvpress derives them
    /// (a dummy user message split at a separator).
    struct Prompts: Sendable {
        /// Tokens of the chat template before the user's text, which the replay skips when the
        /// prompt starts with them.
        let prefix: [Int32]
        let firstQuestion: [Int32]
        let laterQuestion: [Int32]
        /// The chat template after the user's text: end of turn and generation prompt.
        let suffix: [Int32]
        static let previousTail = 8

        init(model: LanguageModel) {
            let tok = model.tokenizer
            var prefixText = "", suffixText = "\n"  // kvpress's defaults without a chat template
            if let template = try? model.requireChatTemplate() {
                let dummy = "dummy context", separator = "\n" + String(repeating: "#", count: dummy.count)
                let parts = template.render(user: dummy + separator).components(separatedBy: separator)
                if parts.count == 2 {
                    prefixText = parts[0].components(separatedBy: dummy)[0]
                    suffixText = parts[1]
                }
            }
            prefix = prefixText.isEmpty ? [] : tok.encode(prefixText, parseSpecial: true)
            firstQuestion = tok.encode("\n\nRepeat the previous context exactly.")
            laterQuestion = tok.encode("\n\nRepeat the part of the previous context exactly, starting with")
            suffix = tok.encode(suffixText, parseSpecial: true)
        }

        /// Where the reconstructed text starts in `ids`.
        func contextStart(of ids: [Int32]) -> Int {
            !prefix.isEmpty && ids.count > prefix.count && Array(ids.prefix(prefix.count)) == prefix ? prefix.count : 0
        }
    }

    /// Scores [layer][KV head][n] of the `n` prompt entries the session holds uncompressed (its
    /// position is n, `logits` the prompt's last logits, restored after the replays). Entries of
    /// the chat prefix score 0 and the first `sinks` the global maximum + 1, as kvpress's.
    static func scores(session: InferenceSession, promptIDs ids: [Int32], logits: [Float], prompts: Prompts,
                       chunkSize: Int = KVzipPolicy.chunkSize, sinks: Int = KVzipPolicy.sinks) throws -> [[[Float]]] {
        let c = session.model.config, n = ids.count
        precondition(session.position == n, "the session must hold exactly the prompt")
        var scores = [[[Float]]](repeating: [[Float]](repeating: [Float](repeating: 0, count: n), count: c.kvHeads),
                                 count: c.layers)
        var start = prompts.contextStart(of: ids)
        var previous: ArraySlice<Int32> = []
        // Room for the longest replay, exactly: growing by doubling would hold twice the cache.
        let longest = max(prompts.firstQuestion.count, prompts.laterQuestion.count + Prompts.previousTail)
            + prompts.suffix.count + min(chunkSize, n - start)
        for streams in session.cache.layers { for stream in streams { stream.reserve(exactly: n + longest) } }
        while start < n {
            let end = min(start + chunkSize, n)
            let question = previous.isEmpty ? prompts.firstQuestion
                                            : prompts.laterQuestion + Array(previous.suffix(Prompts.previousTail))
            let replay = question + prompts.suffix + Array(ids[start..<end])
            let queries = WindowQueryCapture(config: c, window: replay.count, promptLength: replay.count, start: n)
            let sink = min(sinks, start)
            _ = try session.prefill(replay, observers: [queries]) { l in
                score(layer: l, session: session, queries: queries.queries[l], rows: replay.count, promptLength: n,
                      span: start..<end, sink: sink, into: &scores[l])
            }
            session.rewind(to: n, logits: logits)
            previous = ids[start..<end]
            start = end
        }
        let top = scores.flatMap { $0.flatMap { $0 } }.max() ?? 0
        for l in scores.indices { for g in scores[l].indices { for i in 0..<min(sinks, n) { scores[l][g][i] = top + 1 } } }
        return scores
    }

    /// One layer's scores for the chunk `span`, from the replay's `rows` post-RoPE queries
    /// [rows][qDim] and the keys the layer's streams hold (prompt, then the replay's rows).
    private static func score(layer l: Int, session: InferenceSession, queries: FloatBuffer, rows q: Int,
                              promptLength n: Int, span: Range<Int>, sink: Int, into scores: inout [[Float]]) {
        let c = session.model.config, d = c.headDim, width = sink + span.count + q
        let keys = FloatBuffer(count: width * d), probs = FloatBuffer(count: q * width)
        var lengths = (0..<q).map { Int64(sink + span.count + $0 + 1) }  // replay row r sees replay rows 0...r
        for g in 0..<c.kvHeads {
            let stream = session.cache.layers[l][session.cache.layout == .queryHead ? g * c.groupSize : g]
            keys.pointer.update(from: stream.keys, count: sink * d)
            (keys.pointer + sink * d).update(from: stream.keys + span.lowerBound * d, count: span.count * d)
            (keys.pointer + (sink + span.count) * d).update(from: stream.keys + n * d, count: q * d)
            var best = [Float](repeating: 0, count: span.count)
            for h in (g * c.groupSize)..<((g + 1) * c.groupSize) {
                BLAS.gemmABt(m: q, n: width, k: d, alpha: 1 / Float(d).squareRoot(), a: queries.pointer + h * d, lda: c.qDim,
                             b: keys.pointer, ldb: d, c: probs.pointer, ldc: width)
                pkv_softmax_rows(probs.pointer, Int64(q), Int64(width), Int64(width), &lengths)
                pkv_max_column(probs.pointer + sink, Int64(q), Int64(span.count), Int64(width), &best)
            }
            scores[g].replaceSubrange(span, with: best)
        }
    }
}
