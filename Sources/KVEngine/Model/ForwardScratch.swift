/// Activation buffers for one forward chunk, reused across chunks and layers.
/// Shapes (T = rows in the chunk): x (decode only), xn, proj [T][dim]; qkv [T][qDim+2·kvDim];
/// attn [T][qDim]; gateUp [T][2·ffnDim]; cos/sin [T][headDim/2]; scores [tile][width].
final class ForwardScratch {
    let rows: Int
    let x, xn, proj, qkv, attn, gateUp, cos, sin: FloatBuffer
    private(set) var scores: FloatBuffer
    /// One layer's weights in fp32 for prefill's sgemm: Q|K|V, output, gate|up, down.
    private var panel: FloatBuffer?
    private(set) var panelQKV, panelOutput, panelGateUp, panelDown: UnsafePointer<Float>?
    var rowLengths: [Int64]

    init(config c: ModelConfig, rows: Int, tileRows: Int) {
        self.rows = rows
        x = FloatBuffer(count: rows * c.dim)
        xn = FloatBuffer(count: rows * c.dim)
        proj = FloatBuffer(count: rows * c.dim)
        qkv = FloatBuffer(count: rows * (c.qDim + 2 * c.kvDim))
        attn = FloatBuffer(count: rows * c.qDim)
        gateUp = FloatBuffer(count: rows * 2 * c.ffnDim)
        cos = FloatBuffer(count: rows * c.headDim / 2)
        sin = FloatBuffer(count: rows * c.headDim / 2)
        scores = FloatBuffer(count: tileRows * 1024)
        rowLengths = [Int64](repeating: 0, count: tileRows)
    }

    /// A score tile of at least `count` floats.
    func scores(atLeast count: Int) -> FloatBuffer {
        if scores.count < count { scores = FloatBuffer(count: max(count, scores.count * 2)) }
        return scores
    }

    func ensurePanel(floats: Int) {
        if (panel?.count ?? 0) < floats { panel = FloatBuffer(count: floats) }
    }

    /// Dequantizes layer `L` into the panel (ensurePanel first), but for the matrices `skipping`
    /// leaves out (their panel pointer is nil).
    func loadPanel(_ L: ModelWeights.Layer, skipping: (QuantMatrix) -> Bool) {
        var offset = 0
        func load(_ m: QuantMatrix) -> UnsafePointer<Float>? {
            if skipping(m) { return nil }
            guard let panel else { preconditionFailure("loadPanel before ensurePanel") }
            let p = panel.pointer + offset
            m.dequantize(into: p)
            offset += m.rows * m.columns
            return UnsafePointer(p)
        }
        panelQKV = load(L.qkv)
        panelOutput = load(L.attnOutput)
        panelGateUp = load(L.gateUp)
        panelDown = load(L.down)
    }

    func unloadPanel() { panelQKV = nil; panelOutput = nil; panelGateUp = nil; panelDown = nil }
}
