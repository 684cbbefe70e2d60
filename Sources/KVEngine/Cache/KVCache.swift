import PolicySpec

/// The KV cache of a whole model: per layer, per stream. Streams may hold different numbers of
/// tokens (per-layer and per-head budgets).
public final class KVCache {
    public let layout: CacheLayout
    public let groupSize: Int
    /// [layer][stream]
    public let layers: [[KVStream]]

    public init(config: ModelConfig, layout: CacheLayout, reserve: Int = 0) {
        self.layout = layout
        groupSize = config.groupSize
        let streams = layout == .kvHead ? config.kvHeads : config.heads
        layers = (0..<config.layers).map { _ in (0..<streams).map { _ in KVStream(dim: config.headDim, reserve: reserve) } }
    }

    /// The stream query head `h` attends to.
    @inline(__always)
    public func stream(layer: Int, queryHead h: Int) -> KVStream {
        layers[layer][layout == .kvHead ? h / groupSize : h]
    }

    /// The KV head whose projections fill stream `s`.
    @inline(__always)
    public func kvHead(ofStream s: Int) -> Int { layout == .kvHead ? s : s / groupSize }

    /// Bytes actually held by cached keys and values.
    public var bytes: Int { layers.reduce(0) { $0 + $1.reduce(0) { $0 + $1.bytes } } }
}
