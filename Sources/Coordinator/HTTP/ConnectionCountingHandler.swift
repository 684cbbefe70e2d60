import NIOCore

/// Counts the connections the server accepts: Hummingbird adds a fresh one to each accepted
/// connection's pipeline (`HTTP1Channel.Configuration.additionalChannelHandlers`), so
/// `handlerAdded` runs once per connection. Every message passes through untouched (the
/// protocol's default `channelRead`).
final class ConnectionCountingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let metrics: RequestMetrics

    init(metrics: RequestMetrics) { self.metrics = metrics }

    func handlerAdded(context: ChannelHandlerContext) {
        metrics.connectionAccepted()
    }
}
