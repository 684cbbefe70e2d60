import CKernels
import PolicySpec

/// One generation's state: the KV cache, the next position and scratch memory.
/// Not thread-safe; one session per sequence.
///
/// Prefill runs layer by layer over the whole prompt (chunked within a layer), so a KV policy
/// can compress each layer's cache as soon as that layer is done, as KVCache-Factory does
/// inside each attention forward: at most one layer's cache is ever held uncompressed.
public final class InferenceSession {
    public let model: LanguageModel
    public private(set) var cache: KVCache
    /// Position of the next token (the true sequence length, even after compression).
    public private(set) var position = 0
    public let chunkSize: Int
    /// Query rows per attention tile: a tile is tileRows × context floats.
    let tileRows = 64
    private var scratch: ForwardScratch?
    /// The process-wide activation precision (KernelRuntime.activations), read at each prefill
    /// and step: f32 everywhere (exact), or int8 in every product whose weights have int8 kernels.
    private var activations: ActivationPrecision = .f32
    private let decodeScratch: ForwardScratch
    private let logits: FloatBuffer
    /// Prefill's observers, for the duration of one `prefill` call.
    private var observers: [PrefillObserver] = []

    /// Element type of the cache once a layer is prefilled (see `KVStream`).
    public let kvDType: KVDType

    public init(model: LanguageModel, layout: CacheLayout = .kvHead, chunkSize: Int = 512, kvDType: KVDType = .f32) {
        self.model = model
        self.chunkSize = chunkSize
        self.kvDType = kvDType
        cache = KVCache(config: model.config, layout: layout)
        decodeScratch = ForwardScratch(config: model.config, rows: 1, tileRows: 1)
        logits = FloatBuffer(count: model.config.vocabSize)
    }

    /// Runs the prompt through the model and returns the logits of its last token. `observers`
    /// see its queries and attention tiles (a policy's evidence); `afterLayer(l)` runs once
    /// layer l has seen the whole prompt (and before layer l + 1 starts).
    public func prefill(_ ids: [Int32], observers: [PrefillObserver] = [],
                        afterLayer: ((Int) -> Void)? = nil) throws -> [Float] {
        guard !ids.isEmpty else { throw EngineError.emptyPrompt }
        try checkIDs(ids)
        activations = KernelRuntime.activations
        self.observers = observers
        defer { self.observers = [] }
        let c = model.config, n = ids.count
        let rows = min(chunkSize, n)
        if scratch == nil || scratch!.rows < rows { scratch = ForwardScratch(config: c, rows: rows, tileRows: tileRows) }
        let s = scratch!
        // Hidden states of the whole prompt [n][dim] and its rotary tables [n][headDim/2].
        let x = FloatBuffer(count: n * c.dim)
        for (r, id) in ids.enumerated() { model.weights.tokenEmbedding.row(Int(id), into: x.pointer + r * c.dim) }
        let half = c.headDim / 2
        let cos = FloatBuffer(count: n * half), sin = FloatBuffer(count: n * half)
        model.rotary.fill(first: position, rows: n, cos: cos.pointer, sin: sin.pointer)
        // Fast mode multiplies the matrices that have int8 kernels by the quantized rows and
        // dequantizes only the others.
        let int8Rows: (QuantMatrix) -> Bool = { [activations] in activations == .int8 && $0.hasInt8RowProducts }
        let usePanel = n >= Self.panelMinimumRows
        if usePanel { s.ensurePanel(floats: model.weights.largestLayerFloats(skipping: int8Rows)) }
        for l in 0..<c.layers {
            if usePanel { s.loadPanel(model.weights.layers[l], skipping: int8Rows) }
            for stream in cache.layers[l] { stream.widen() }
            var start = 0
            while start < n {
                let t = min(chunkSize, n - start)
                layerForward(l, x: x.pointer + start * c.dim, rows: t, firstPosition: position + start,
                             cos: cos.pointer + start * half, sin: sin.pointer + start * half, scratch: s)
                start += t
            }
            afterLayer?(l)
            if kvDType == .f16 { for stream in cache.layers[l] { stream.narrow() } }
        }
        s.unloadPanel()
        position += n
        computeLogits(lastRow: x.pointer + (n - 1) * c.dim, scratch: s)
        return logits.toArray()
    }

    /// Feeds one token and returns the logits for the next.
    public func step(_ id: Int32) throws -> [Float] {
        try checkIDs([id])
        activations = KernelRuntime.activations
        let c = model.config, s = decodeScratch
        model.weights.tokenEmbedding.row(Int(id), into: s.x.pointer)
        model.rotary.fill(first: position, rows: 1, cos: s.cos.pointer, sin: s.sin.pointer)
        for l in 0..<c.layers {
            layerForward(l, x: s.x.pointer, rows: 1, firstPosition: position, cos: s.cos.pointer, sin: s.sin.pointer,
                         scratch: s)
        }
        position += 1
        computeLogits(lastRow: s.x.pointer, scratch: s)
        return logits.toArray()
    }

    /// Starts this session from a prefilled prompt: copies the snapshot's K/V into this
    /// session's layout (a query-head stream gets its KV head's rows) and moves to its end.
    func adopt(_ snapshot: PrefillSnapshot) {
        precondition(position == 0, "adopt needs a fresh session")
        let dim = model.config.headDim
        for (l, streams) in cache.layers.enumerated() {
            for (s, stream) in streams.enumerated() {
                let source = snapshot.cache.layers[l][cache.kvHead(ofStream: s)]
                stream.append(k: source.keys, v: source.values, rows: source.count, stride: dim, firstPosition: 0)
            }
        }
        if kvDType == .f16 { for streams in cache.layers { for stream in streams { stream.narrow() } } }
        position = snapshot.promptIDs.count
        // The next token is read from this buffer (`argmaxOfLastLogits`).
        snapshot.logits.withUnsafeBufferPointer { logits.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// Forgets every position from `count` on (a replay pass appended them) and makes `logits`
    /// the last computed ones again, as if the replay had not run (KVzip's reconstruction).
    func rewind(to count: Int, logits restored: [Float]) {
        precondition(count <= position, "rewind to \(count) past position \(position)")
        for streams in cache.layers { for stream in streams { stream.truncate(to: count) } }
        position = count
        restored.withUnsafeBufferPointer { logits.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// Drops every cached row whose position is `position` or later (a lead question's rows,
    /// whichever the policy kept) and continues from there; the logits are stale until the next
    /// prefill or step.
    func forget(from position: Int) {
        precondition(position >= 0 && position <= self.position, "forget from \(position) past position \(self.position)")
        for streams in cache.layers {
            for stream in streams where stream.positions.contains(where: { Int($0) >= position }) {
                stream.retain(indices: stream.positions.indices.filter { Int(stream.positions[$0]) < position })
            }
        }
        self.position = position
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

    /// One transformer layer over `rows` consecutive tokens whose hidden states `x` [rows][dim]
    /// are updated in place. The tokens' K/V are appended to the layer's cache streams first.
    private func layerForward(_ l: Int, x: UnsafeMutablePointer<Float>, rows T: Int, firstPosition: Int,
                              cos: UnsafePointer<Float>, sin: UnsafePointer<Float>, scratch s: ForwardScratch) {
        let c = model.config, L = model.weights.layers[l]
        let dim = c.dim, d = c.headDim, qkvDim = c.qDim + 2 * c.kvDim, ff = c.ffnDim
        // Attention block.
        pkv_rmsnorm(x, L.attnNorm.pointer, s.xn.pointer, Int64(T), Int64(dim), c.rmsEps)
        project(L.qkv, panel: s.panelQKV, rows: T, x: s.xn.pointer, ldx: dim, y: s.qkv.pointer, ldy: qkvDim)
        prepareQueriesAndKeys(L, layer: l, firstPosition: firstPosition, rows: T, qkv: s.qkv.pointer, cos: cos, sin: sin)
        for o in observers { o.observeQueries(layer: l, firstPosition: firstPosition, rows: T, queries: s.qkv.pointer, ld: qkvDim) }
        for (si, stream) in cache.layers[l].enumerated() {
            let g = cache.kvHead(ofStream: si)
            stream.append(k: s.qkv.pointer + c.qDim + g * d, v: s.qkv.pointer + c.qDim + c.kvDim + g * d,
                          rows: T, stride: qkvDim, firstPosition: firstPosition)
        }
        attention(layer: l, rows: T, firstPosition: firstPosition, scratch: s)
        project(L.attnOutput, panel: s.panelOutput, rows: T, x: s.attn.pointer, ldx: c.qDim, y: s.proj.pointer, ldy: dim)
        pkv_add(x, s.proj.pointer, Int64(T * dim))
        // Feed-forward block (SwiGLU).
        pkv_rmsnorm(x, L.ffnNorm.pointer, s.xn.pointer, Int64(T), Int64(dim), c.rmsEps)
        project(L.gateUp, panel: s.panelGateUp, rows: T, x: s.xn.pointer, ldx: dim, y: s.gateUp.pointer, ldy: 2 * ff)
        for r in 0..<T {
            let row = s.gateUp.pointer + r * 2 * ff
            pkv_silu_mul(row, row + ff, Int64(ff))
        }
        project(L.down, panel: s.panelDown, rows: T, x: s.gateUp.pointer, ldx: 2 * ff, y: s.proj.pointer, ldy: dim)
        pkv_add(x, s.proj.pointer, Int64(T * dim))
    }

    /// The output projection runs with fp32 activations in both modes: the logits are what is
    /// measured (with int8 here, Qwen2.5-Coder-0.5B's top-20 logits once moved 0.21 from
    /// transformers fp32 where fp32 here gave 0.13; bf16: 0.17; NamedModelReferenceTests).
    private func computeLogits(lastRow: UnsafePointer<Float>, scratch s: ForwardScratch) {
        let c = model.config, w = model.weights
        pkv_rmsnorm(lastRow, w.outputNorm.pointer, s.xn.pointer, 1, Int64(c.dim), c.rmsEps)
        w.output.multiply(s.xn.pointer, into: logits.pointer, activations: .f32)
    }

    /// Prompts at least this long multiply by a dequantized fp32 copy of each layer (sgemm);
    /// shorter ones, and decode, multiply the GGUF blocks directly, row by row.
    static let panelMinimumRows = 16

    /// Y[rows][out] = X[rows][in] · Wᵀ: int8 row products in fast mode where the weights have
    /// them, else sgemm on the layer's fp32 panel when prefill loaded one, else one quantized
    /// matrix-vector product per row.
    private func project(_ w: QuantMatrix, panel: UnsafePointer<Float>?, rows T: Int, x: UnsafePointer<Float>, ldx: Int,
                         y: UnsafeMutablePointer<Float>, ldy: Int) {
        if T > 1, activations == .int8, w.hasInt8RowProducts {
            w.multiplyRows(x, ldx: ldx, count: T, into: y, ldy: ldy)
        } else if let panel, T > 1 {
            BLAS.gemmABt(m: T, n: w.rows, k: w.columns, a: x, lda: ldx, b: panel, ldb: w.columns, c: y, ldc: ldy)
        } else {
            for r in 0..<T { w.multiply(x + r * ldx, into: y + r * ldy, activations: activations) }
        }
    }

    /// Q|K|V rows as attention reads them: bias added, Q and K normalised per head, then
    /// rotated, as the model's architecture prescribes.
    private func prepareQueriesAndKeys(_ L: ModelWeights.Layer, layer l: Int, firstPosition: Int, rows T: Int,
                                       qkv: UnsafeMutablePointer<Float>, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let c = model.config, d = Int64(c.headDim), qkvDim = c.qDim + 2 * c.kvDim
        if let bias = L.qkvBias {
            for r in 0..<T { pkv_add(qkv + r * qkvDim, bias.pointer, Int64(qkvDim)) }
        }
        if let qNorm = L.queryNorm, let kNorm = L.keyNorm {
            for r in 0..<T {
                let q = qkv + r * qkvDim, k = q + c.qDim
                pkv_rmsnorm(q, qNorm.pointer, q, Int64(c.heads), d, c.rmsEps)
                pkv_rmsnorm(k, kNorm.pointer, k, Int64(c.kvHeads), d, c.rmsEps)
            }
        }
        for o in observers { o.observePreRoPEQueries(layer: l, firstPosition: firstPosition, rows: T, queries: qkv, ld: qkvDim) }
        let rotate = model.architecture.rotaryPairing == .halves ? pkv_rope_halves : pkv_rope_pairs
        rotate(qkv, Int64(T), Int64(qkvDim), Int64(c.heads), d, cos, sin)
        rotate(qkv + c.qDim, Int64(T), Int64(qkvDim), Int64(c.kvHeads), d, cos, sin)
    }

    /// softmax(Q·Kᵀ/√d)·V for the chunk's rows, tile by tile: a tile is at most tileRows × width.
    /// The chunk's own keys are the last `rows` entries of each stream, so row r sees
    /// `count − rows + r + 1` keys (causal), whether or not earlier entries were compressed.
    private func attention(layer l: Int, rows T: Int, firstPosition: Int, scratch s: ForwardScratch) {
        let c = model.config, d = c.headDim
        let qkvDim = c.qDim + 2 * c.kvDim
        let scale = 1 / Float(d).squareRoot()
        if T == 1 { return decodeAttention(layer: l, scale: scale, scratch: s) }
        if !observers.contains(where: \.readsAttention) && fusedAttention(layer: l, rows: T, scale: scale, scratch: s) {
            return
        }
        for h in 0..<c.heads {
            let stream = cache.stream(layer: l, queryHead: h)
            let base = stream.count - T
            let q = s.qkv.pointer + h * d
            let out = s.attn.pointer + h * d
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
                for o in observers {
                    o.observeAttention(layer: l, queryHead: h, firstPosition: firstPosition + r0, rows: tb,
                                       probabilities: p, width: width, ld: width)
                }
                BLAS.gemmAB(m: tb, n: d, k: width, a: p, lda: width, b: stream.values, ldb: d,
                            c: out + r0 * c.qDim, ldc: c.qDim)
                r0 += tb
            }
        }
    }

    /// The chunk's attention in one fused, pool-threaded kernel (pkv_prefill_attention): the
    /// same softmax as the tiled path below, without its per-tile sgemm packing. False when the
    /// kernel does not take this head dimension.
    private func fusedAttention(layer l: Int, rows T: Int, scale: Float, scratch s: ForwardScratch) -> Bool {
        let c = model.config, streams = cache.layers[l]
        let qkvDim = c.qDim + 2 * c.kvDim
        let views = streams.map {
            pkv_kv_view(keys: $0.keys, values: $0.values, half_keys: nil, half_values: nil, count: Int64($0.count))
        }
        let floats = Int(pkv_prefill_attention_scratch_floats(views, Int64(views.count), Int64(c.headDim)))
        let scratch = s.scores(atLeast: floats)
        return pkv_prefill_attention(views, Int64(views.count), Int64(c.heads / streams.count), Int64(c.headDim),
                                     Int64(T), s.qkv.pointer, Int64(qkvDim), s.attn.pointer, Int64(c.qDim), scale,
                                     scratch.pointer, Int64(scratch.count), -1) != 0
    }

    /// One new token against every stream of layer `l`: each stream's K/V is read once for all
    /// the query heads that share it, and streams are split over the kernel threads.
    private func decodeAttention(layer l: Int, scale: Float, scratch s: ForwardScratch) {
        let c = model.config, streams = cache.layers[l]
        let headsPerStream = c.heads / streams.count
        var views: [pkv_kv_view] = []
        views.reserveCapacity(streams.count)
        var offsets: [Int64] = []
        offsets.reserveCapacity(streams.count)
        var total = 0
        for stream in streams {
            if let hk = stream.halfKeys, let hv = stream.halfValues {
                views.append(pkv_kv_view(keys: nil, values: nil, half_keys: hk, half_values: hv, count: Int64(stream.count)))
            } else {
                views.append(pkv_kv_view(keys: stream.keys, values: stream.values, half_keys: nil, half_values: nil,
                                         count: Int64(stream.count)))
            }
            offsets.append(Int64(total))
            total += headsPerStream * stream.count
        }
        let p = s.scores(atLeast: total).pointer
        pkv_decode_attention(views, Int64(views.count), Int64(headsPerStream), Int64(c.headDim),
                             s.qkv.pointer, s.attn.pointer, scale, p, offsets)
    }
}
