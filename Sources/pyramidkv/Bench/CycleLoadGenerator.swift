import FleetCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Simulated workers as a load generator: each holds one keep-alive HTTP/1.1 connection and runs
/// lease → post → complete in a closed loop until the coordinator has no job left. The loop runs
/// inside a channel handler on the event loop (no task hops, no client library), so on a shared
/// machine nearly all the CPU goes to the coordinator under test, as with `wrk`. The bodies are the
/// same wire messages a `pyramidkv worker` sends.
struct CycleLoadGenerator: Sendable {
    let host: String
    let port: Int
    let workerToken: String
    let lease: LeaseRequest
    let result: @Sendable (String) -> SampleResult

    /// Runs `workers` connections to completion; every request's latency, by kind.
    func run(workers: Int, group: any EventLoopGroup) async throws -> CycleLatencies {
        let bootstrap = ClientBootstrap(group: group).channelOption(.socketOption(.tcp_nodelay), value: 1)
        var finished: [EventLoopFuture<CycleLatencies>] = []
        for index in 0..<workers {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            let promise = channel.eventLoop.makePromise(of: CycleLatencies.self)
            let template = RequestTemplate(host: "\(host):\(port)", token: workerToken)
            var request = lease
            request.workerId = "\(lease.workerId)-\(index)"
            let leaseBody = try WireJSON.canonicalData(request)
            let result = self.result
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(
                    CycleLoopHandler(template: template, leaseBody: leaseBody, result: result, done: promise))
            }.get()
            finished.append(promise.futureResult.always { _ in channel.close(promise: nil) })
        }
        var all = CycleLatencies()
        for future in finished { all.merge(try await future.get()) }
        return all
    }
}

/// Nanosecond latencies of each request kind and of whole cycles.
struct CycleLatencies: Sendable {
    var lease: [UInt64] = []
    var post: [UInt64] = []
    var complete: [UInt64] = []
    var cycle: [UInt64] = []

    mutating func merge(_ other: CycleLatencies) {
        lease += other.lease
        post += other.post
        complete += other.complete
        cycle += other.cycle
    }
}

/// Why a simulated worker stopped early.
struct LoadGeneratorError: Error, CustomStringConvertible {
    let description: String
}

/// Request heads for one connection.
private struct RequestTemplate {
    let host: String
    let token: String

    func head(_ path: String, bodyBytes: Int) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Authorization", value: "Bearer \(token)")
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(bodyBytes))
        return head
    }
}

/// The part of a lease answer the loop needs.
private struct LeaseProbe: Decodable {
    struct Granted: Decodable {
        let jobId: Int64
        let token: String
        let pendingSampleIds: [String]

        enum CodingKeys: String, CodingKey {
            case jobId = "job_id", token, pendingSampleIds = "pending_sample_ids"
        }
    }

    let lease: Granted?
}

/// One simulated worker's closed loop, driven by responses on its event loop.
private final class CycleLoopHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private enum Step {
        case leasing
        case posting(jobId: Int64, token: String)
        case completing(jobId: Int64, token: String)
    }

    private let template: RequestTemplate
    private let leaseBody: Data
    private let result: @Sendable (String) -> SampleResult
    private let done: EventLoopPromise<CycleLatencies>
    private let decoder = JSONDecoder()
    private let encoder = WireJSON.encoder()
    private var step = Step.leasing
    private var status: HTTPResponseStatus = .ok
    private var body = ByteBuffer()
    private var requestStart: UInt64 = 0
    private var cycleStart: UInt64 = 0
    private var latencies = CycleLatencies()
    private var finished = false

    init(template: RequestTemplate, leaseBody: Data, result: @escaping @Sendable (String) -> SampleResult,
         done: EventLoopPromise<CycleLatencies>) {
        self.template = template
        self.leaseBody = leaseBody
        self.result = result
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startLease(context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            do {
                try advance(context)
            } catch {
                finish(context, .failure(error))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context, .failure(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context, .failure(LoadGeneratorError(description: "the coordinator closed the connection")))
    }

    private func advance(_ context: ChannelHandlerContext) throws {
        let now = DispatchTime.now().uptimeNanoseconds
        let elapsed = now - requestStart
        guard status == .ok || status == .created else {
            throw LoadGeneratorError(description: "\(status.code) from the coordinator: \(String(buffer: body))")
        }
        switch step {
        case .leasing:
            latencies.lease.append(elapsed)
            guard let granted = try decoder.decode(LeaseProbe.self, from: Data(body.readableBytesView)).lease else {
                finish(context, .success(latencies))
                return
            }
            guard let sample = granted.pendingSampleIds.first else {
                throw LoadGeneratorError(description: "job \(granted.jobId) was leased with no pending sample")
            }
            step = .posting(jobId: granted.jobId, token: granted.token)
            try send(context, "/v1/jobs/\(granted.jobId)/predictions",
                     encoder.encode(PredictionPost(token: granted.token, result: result(sample))))
        case .posting(let jobId, let token):
            latencies.post.append(elapsed)
            step = .completing(jobId: jobId, token: token)
            try send(context, "/v1/jobs/\(jobId)/complete", encoder.encode(CompleteRequest(token: token)))
        case .completing:
            latencies.complete.append(elapsed)
            latencies.cycle.append(now - cycleStart)
            startLease(context)
        }
    }

    private func startLease(_ context: ChannelHandlerContext) {
        guard !finished else { return }
        step = .leasing
        cycleStart = DispatchTime.now().uptimeNanoseconds
        send(context, "/v1/leases", leaseBody)
    }

    private func send(_ context: ChannelHandlerContext, _ path: String, _ bytes: Data) {
        requestStart = DispatchTime.now().uptimeNanoseconds
        context.write(wrapOutboundOut(.head(template.head(path, bodyBytes: bytes.count))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func finish(_ context: ChannelHandlerContext, _ outcome: Result<CycleLatencies, any Error>) {
        guard !finished else { return }
        finished = true
        done.completeWith(outcome)
    }
}

extension CycleLoadGenerator {
    /// The baseline: the same connections sending `GET /healthz` (HTTP, routing and JSON, no
    /// database) back to back for `seconds`; requests per second.
    func healthRate(workers: Int, seconds: Double, group: any EventLoopGroup) async throws -> Double {
        let bootstrap = ClientBootstrap(group: group).channelOption(.socketOption(.tcp_nodelay), value: 1)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        var counts: [EventLoopFuture<Int>] = []
        for _ in 0..<workers {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            let promise = channel.eventLoop.makePromise(of: Int.self)
            let hostHeader = "\(host):\(port)"
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(
                    HealthLoopHandler(host: hostHeader, deadline: deadline, done: promise))
            }.get()
            counts.append(promise.futureResult.always { _ in channel.close(promise: nil) })
        }
        var total = 0
        for future in counts { total += try await future.get() }
        return Double(total) / seconds
    }
}

/// `GET /healthz` back to back until a deadline; answers the number of 200s.
private final class HealthLoopHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let host: String
    private let deadline: UInt64
    private let done: EventLoopPromise<Int>
    private var count = 0
    private var finished = false

    init(host: String, deadline: UInt64, done: EventLoopPromise<Int>) {
        self.host = host
        self.deadline = deadline
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendNext(context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.status == .ok { count += 1 }
        case .body:
            break
        case .end:
            sendNext(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(LoadGeneratorError(description: "the coordinator closed the connection")))
    }

    private func sendNext(_ context: ChannelHandlerContext) {
        guard DispatchTime.now().uptimeNanoseconds < deadline else {
            finish(.success(count))
            return
        }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/healthz")
        head.headers.add(name: "Host", value: host)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func finish(_ outcome: Result<Int, any Error>) {
        guard !finished else { return }
        finished = true
        done.completeWith(outcome)
    }
}
