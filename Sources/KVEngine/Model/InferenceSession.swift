import CKernels

/// Receives each prefill attention tile, so a KV policy can accumulate scores without the
/// engine ever materialising the n×n matrix. `probabilities` is [rows][ld] (softmax rows of
/// query rows firstRow..<firstRow+rows of the chunk, over the stream's first `width` keys).
public protocol AttentionObserver: AnyObject {
    func observe(layer: Int, queryHead: Int, chunkStart: Int, chunkRows: Int, firstRow: Int, rows: Int,
                 probabilities: UnsafePointer<Float>, width: Int, ld: Int)
}

/// One generation's state: the KV cache, the next position and scratch memory.
/// Not thread-safe; one session per sequence.
public final class InferenceSession {
    public let model: LlamaModel
    public private(set) var cache: KVCache
    /// Position of the next token (the true sequence length, even after compression).
    public private(set) var position = 0
    public let chunkSize: Int
    /// Query rows per attention tile: the tile is tileRows × context floats.
    let tileRows = 64
    private var scratch: ForwardScratch?
    /// Post-RoPE query rows of the last `capturedWindow` prompt positions, per layer:
    /// [layer] → [window][qDim]. Filled by `prefill(_:captureWindow:)` for window-scored policies.
    public private(set) var windowQueries: [FloatBuffer] = []
    public private(set) var capturedWindow = 0
    private var captureStart = Int.max
    private let decodeScratch: ForwardScratch
    private let logits: FloatBuffer

    public init(model: LlamaModel, layout: CacheLayout = .kvHead, chunkSize: Int = 512) {
        self.model = model
        self.chunkSize = chunkSize
        cache = KVCache(config: model.config, layout: layout)
        decodeScratch = ForwardScratch(config: model.config, rows: 1, tileRows: 1)
        logits = FloatBuffer(count: model.config.vocabSize)
    }

    /// Runs the prompt through the model in chunks and returns the logits of its last token.
    /// With `captureWindow` w > 0, keeps the query rows of the last w prompt tokens.
    public func prefill(_ ids: [Int32], observer: AttentionObserver? = nil, captureWindow: Int = 0) throws -> [Float] {
        guard !ids.isEmpty else { throw EngineError.emptyPrompt }
        try checkIDs(ids)
        capturedWindow = min(max(captureWindow, 0), ids.count)
        captureStart = position + ids.count - capturedWindow
        windowQueries = capturedWindow == 0 ? [] : (0..<model.config.layers).map { _ in
            FloatBuffer(count: capturedWindow * model.config.qDim)
        }
        var start = 0
        while start < ids.count {
            let n = min(chunkSize, ids.count - start)
            if scratch == nil || scratch!.rows < n {
                scratch = ForwardScratch(config: model.config, rows: min(chunkSize, max(n, ids.count)), tileRows: tileRows)
            }
            forward(Array(ids[start..<start + n]), scratch: scratch!, observer: observer,
                    wantLogits: start + n == ids.count)
            start += n
        }
        return logits.toArray()
    }

    /// Feeds one token and returns the logits for the next.
    public func step(_ id: Int32) throws -> [Float] {
        try checkIDs([id])
        forward([id], scratch: decodeScratch, observer: nil, wantLogits: true)
        return logits.toArray()
    }

    /// Greedy next token from the last computed logits, without copying them.
    public func argmaxOfLastLogits() -> Int32 { Int32(pkv_argmax(logits.pointer, Int64(logits.count))) }

    /// Frees scratch memory that only prefill needs.
    public func releasePrefillScratch() { scratch = nil }

    private func checkIDs(_ ids: [Int32]) throws {
        let v = model.config.vocabSize
        if let bad = ids.first(where: { $0 < 0 || Int($0) >= v }) { throw EngineError.tokenOutOfRange(id: bad, vocabSize: v) }
    }

    // MARK: forward pass

    private func forward(_ ids: [Int32], scratch s: ForwardScratch, observer: AttentionObserver?, wantLogits: Bool) {
        let c = model.config, w = model.weights
        let T = ids.count, dim = c.dim, d = c.headDim
        let qkvDim = c.qDim + 2 * c.kvDim, ff = c.ffnDim
        for (r, id) in ids.enumerated() {
            (s.x.pointer + r * dim).update(from: w.tokenEmbedding.pointer + Int(id) * dim, count: dim)
        }
        model.rotary.fill(first: position, rows: T, cos: s.cos.pointer, sin: s.sin.pointer)

        for l in 0..<c.layers {
            let L = w.layers[l]
            // Attention block.
            pkv_rmsnorm(s.x.pointer, L.attnNorm.pointer, s.xn.pointer, Int64(T), Int64(dim), c.rmsEps)
            BLAS.linear(rows: T, out: qkvDim, inDim: dim, x: s.xn.pointer, ldx: dim, w: L.qkv.pointer,
                        y: s.qkv.pointer, ldy: qkvDim)
            pkv_rope_pairs(s.qkv.pointer, Int64(T), Int64(qkvDim), Int64(c.heads), Int64(d), s.cos.pointer, s.sin.pointer)
            pkv_rope_pairs(s.qkv.pointer + c.qDim, Int64(T), Int64(qkvDim), Int64(c.kvHeads), Int64(d), s.cos.pointer, s.sin.pointer)
            if capturedWindow > 0 { captureQueries(layer: l, rows: T, scratch: s) }
            let streams = cache.layers[l]
            for (si, stream) in streams.enumerated() {
                let g = cache.kvHead(ofStream: si)
                stream.append(k: s.qkv.pointer + c.qDim + g * d, v: s.qkv.pointer + c.qDim + c.kvDim + g * d,
                              rows: T, stride: qkvDim, firstPosition: position)
            }
            attention(layer: l, rows: T, scratch: s, observer: observer)
            BLAS.linear(rows: T, out: dim, inDim: c.qDim, x: s.attn.pointer, ldx: c.qDim, w: L.attnOutput.pointer,
                        y: s.proj.pointer, ldy: dim)
            pkv_add(s.x.pointer, s.proj.pointer, Int64(T * dim))
            // Feed-forward block (SwiGLU).
            pkv_rmsnorm(s.x.pointer, L.ffnNorm.pointer, s.xn.pointer, Int64(T), Int64(dim), c.rmsEps)
            BLAS.linear(rows: T, out: 2 * ff, inDim: dim, x: s.xn.pointer, ldx: dim, w: L.gateUp.pointer,
                        y: s.gateUp.pointer, ldy: 2 * ff)
            for r in 0..<T {
                let row = s.gateUp.pointer + r * 2 * ff
                pkv_silu_mul(row, row + ff, Int64(ff))
            }
            BLAS.linear(rows: T, out: dim, inDim: ff, x: s.gateUp.pointer, ldx: 2 * ff, w: L.down.pointer,
                        y: s.proj.pointer, ldy: dim)
            pkv_add(s.x.pointer, s.proj.pointer, Int64(T * dim))
        }
        position += T

        if wantLogits {
            let last = s.x.pointer + (T - 1) * dim
            pkv_rmsnorm(last, w.outputNorm.pointer, s.xn.pointer, 1, Int64(dim), c.rmsEps)
            BLAS.gemv(m: c.vocabSize, n: dim, a: w.output.pointer, lda: dim, x: s.xn.pointer, y: logits.pointer)
        }
    }

    private func captureQueries(layer l: Int, rows T: Int, scratch s: ForwardScratch) {
        let qkvDim = model.config.qDim + 2 * model.config.kvDim, qDim = model.config.qDim
        for r in 0..<T {
            let i = position + r - captureStart
            guard i >= 0 && i < capturedWindow else { continue }
            (windowQueries[l].pointer + i * qDim).update(from: s.qkv.pointer + r * qkvDim, count: qDim)
        }
    }

    /// Drops the captured window queries once a policy has used them.
    public func releaseCapture() {
        windowQueries = []
        capturedWindow = 0
        captureStart = Int.max
    }

    /// softmax(Q·Kᵀ/√d)·V for the chunk's rows, tile by tile: a tile is at most tileRows × width.
    /// The chunk's own keys are the last `rows` entries of each stream, so row r sees
    /// `count − rows + r + 1` keys (causal), whether or not earlier entries were compressed.
    private func attention(layer l: Int, rows T: Int, scratch s: ForwardScratch, observer: AttentionObserver?) {
        let c = model.config, d = c.headDim
        let qkvDim = c.qDim + 2 * c.kvDim
        let scale = 1 / Float(d).squareRoot()
        for h in 0..<c.heads {
            let stream = cache.stream(layer: l, queryHead: h)
            let base = stream.count - T
            let q = s.qkv.pointer + h * d
            let out = s.attn.pointer + h * d
            if T == 1 {
                let n = stream.count
                let p = s.scores(atLeast: n).pointer
                BLAS.gemv(m: n, n: d, alpha: scale, a: stream.keys, lda: d, x: q, y: p)
                var len = Int64(n)
                pkv_softmax_rows(p, 1, Int64(n), Int64(n), &len)
                BLAS.gemvT(m: n, n: d, a: stream.values, lda: d, x: p, y: out)
                continue
            }
            var r0 = 0
            while r0 < T {
                let tb = min(tileRows, T - r0)
                let width = base + r0 + tb
                let p = s.scores(atLeast: tb * width).pointer
                BLAS.gemmABt(m: tb, n: width, k: d, alpha: scale, a: q + r0 * qkvDim, lda: qkvDim,
                             b: stream.keys, ldb: d, c: p, ldc: width)
                for r in 0..<tb { s.rowLengths[r] = Int64(base + r0 + r + 1) }
                s.rowLengths.withUnsafeBufferPointer {
                    pkv_softmax_rows(p, Int64(tb), Int64(width), Int64(width), $0.baseAddress!)
                }
                observer?.observe(layer: l, queryHead: h, chunkStart: position, chunkRows: T, firstRow: r0, rows: tb,
                                  probabilities: p, width: width, ld: width)
                BLAS.gemmAB(m: tb, n: d, k: width, a: p, lda: width, b: stream.values, ldb: d,
                            c: out + r0 * c.qDim, ldc: c.qDim)
                r0 += tb
            }
        }
    }
}
