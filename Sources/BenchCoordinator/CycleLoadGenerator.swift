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
        var finished: [EventLoopFuture<CycleLatencies>] = []
        for index in 0..<workers {
            let template = RequestTemplate(host: "\(host):\(port)", token: workerToken)
            var request = lease
            request.workerId = "\(lease.workerId)-\(index)"
            let leaseBody = try WireJSON.canonicalData(request)
            let result = self.result
            finished.append(try await connection(group) { promise in
                try CycleLoopHandler(template: template, leaseBody: leaseBody, result: result, done: promise)
            })
        }
        var all = CycleLatencies()
        for future in finished { all.merge(try await future.get()) }
        return all
    }

    /// One keep-alive connection running `handler` until it completes its promise; then closed.
    private func connection<Outcome: Sendable>(
        _ group: any EventLoopGroup, handler: @escaping @Sendable (EventLoopPromise<Outcome>) throws -> any ChannelHandler
    ) async throws -> EventLoopFuture<Outcome> {
        let channel = try await ClientBootstrap(group: group).channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port).get()
        let promise = channel.eventLoop.makePromise(of: Outcome.self)
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(try handler(promise))
        }.get()
        return promise.futureResult.always { _ in channel.close(promise: nil) }
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

    /// The three fields read straight from the coordinator's canonical answer (sorted keys, no
    /// whitespace), which spares the generator a full JSON parse of the job spec per cycle;
    /// nil when the answer does not look that way (then the caller decodes it properly).
    static func scan(_ bytes: [UInt8]) -> (jobId: Int64, token: String, sampleId: String)? {
        guard let jobId = text(after: #""job_id":"#, in: bytes, until: UInt8(ascii: ",")).flatMap({ Int64($0) }),
              let token = text(after: #""token":""#, in: bytes, until: UInt8(ascii: "\"")),
              let sampleId = text(after: #""pending_sample_ids":[""#, in: bytes, until: UInt8(ascii: "\"")),
              !token.contains("\\"), !sampleId.contains("\\") else { return nil }
        return (jobId, token, sampleId)
    }

    private static func text(after marker: String, in bytes: [UInt8], until end: UInt8) -> String? {
        let marker = Array(marker.utf8)
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            guard bytes[start..<(start + marker.count)].elementsEqual(marker) else { continue }
            let from = start + marker.count
            guard let stop = bytes[from...].firstIndex(of: end) else { return nil }
            return String(decoding: bytes[from..<stop], as: UTF8.self)
        }
        return nil
    }
}

/// A request body encoded once with placeholder strings, filled per request. The values spliced
/// in are the coordinator's own tokens and sample ids; any that would need JSON escaping is
/// refused (nil) and the caller encodes the message properly instead.
private struct BodyTemplate {
    private let pieces: [[UInt8]]

    init(_ encoded: Data, placeholders: [String]) throws {
        var text = Array(encoded)
        var pieces: [[UInt8]] = []
        for placeholder in placeholders {
            let needle = Array(placeholder.utf8)
            guard let at = text.indices.first(where: { text[$0...].starts(with: needle) }) else {
                throw LoadGeneratorError(description: "placeholder \(placeholder) not in \(String(decoding: encoded, as: UTF8.self))")
            }
            pieces.append(Array(text[..<at]))
            text = Array(text[(at + needle.count)...])
        }
        pieces.append(text)
        self.pieces = pieces
    }

    func fill(_ values: [String]) -> [UInt8]? {
        var out = pieces[0]
        for (value, piece) in zip(values, pieces.dropFirst()) {
            guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
            else { return nil }
            out += value.utf8
            out += piece
        }
        return out
    }
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
    private let postTemplate: BodyTemplate
    private let completeTemplate: BodyTemplate
    private var step = Step.leasing
    private var status: HTTPResponseStatus = .ok
    private var body = ByteBuffer()
    private var requestStart: UInt64 = 0
    private var cycleStart: UInt64 = 0
    private var latencies = CycleLatencies()
    private var finished = false

    init(template: RequestTemplate, leaseBody: Data, result: @escaping @Sendable (String) -> SampleResult,
         done: EventLoopPromise<CycleLatencies>) throws {
        self.template = template
        self.leaseBody = leaseBody
        self.result = result
        self.done = done
        // Sorted keys put the result (with its sample id) before the token.
        postTemplate = try BodyTemplate(
            WireJSON.encoder().encode(PredictionPost(token: "@@token@@", result: result("@@sample@@"))),
            placeholders: ["@@sample@@", "@@token@@"])
        completeTemplate = try BodyTemplate(WireJSON.encoder().encode(CompleteRequest(token: "@@token@@")),
                                             placeholders: ["@@token@@"])
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
            let bytes = Array(body.readableBytesView)
            let granted: (jobId: Int64, token: String, sampleId: String)
            if let scanned = LeaseProbe.scan(bytes) {
                granted = scanned
            } else {
                guard let lease = try decoder.decode(LeaseProbe.self, from: Data(bytes)).lease else {
                    finish(context, .success(latencies))
                    return
                }
                guard let sample = lease.pendingSampleIds.first else {
                    throw LoadGeneratorError(description: "job \(lease.jobId) was leased with no pending sample")
                }
                granted = (lease.jobId, lease.token, sample)
            }
            step = .posting(jobId: granted.jobId, token: granted.token)
            send(context, "/v1/jobs/\(granted.jobId)/predictions",
                 try postTemplate.fill([granted.sampleId, granted.token]).map { Data($0) }
                    ?? encoder.encode(PredictionPost(token: granted.token, result: result(granted.sampleId))))
        case .posting(let jobId, let token):
            latencies.post.append(elapsed)
            step = .completing(jobId: jobId, token: token)
            send(context, "/v1/jobs/\(jobId)/complete",
                 try completeTemplate.fill([token]).map { Data($0) } ?? encoder.encode(CompleteRequest(token: token)))
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
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let hostHeader = "\(host):\(port)"
        var counts: [EventLoopFuture<Int>] = []
        for _ in 0..<workers {
            counts.append(try await connection(group) { promise in
                HealthLoopHandler(host: hostHeader, deadline: deadline, done: promise)
            })
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
