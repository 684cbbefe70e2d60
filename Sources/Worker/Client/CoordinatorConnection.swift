import AsyncHTTPClient
import FleetCore
import Foundation
import NIOCore
import NIOHTTP1

/// Where the coordinator is and the bearer token to present.
public struct CoordinatorEndpoint: Sendable {
    public let baseURL: URL
    public let token: String

    public init(baseURL: URL, token: String) {
        self.baseURL = baseURL
        self.token = token
    }
}

/// JSON over HTTP to the coordinator (AsyncHTTPClient: pooled keep-alive connections on
/// SwiftNIO). Retries transport failures and 5xx answers with backoff; 4xx answers are
/// definitive and come back as `.refused`.
public struct CoordinatorConnection: Sendable {
    public let endpoint: CoordinatorEndpoint
    public let retry: RetryPolicy
    let client: HTTPClient
    let timeout: TimeAmount
    /// Largest answer read (blobs are the big ones).
    let maxResponseBytes: Int

    /// `client` defaults to one process-wide client; pass one with a larger pool when many
    /// callers share a process (the coordinator benchmark's simulated workers).
    public init(endpoint: CoordinatorEndpoint, retry: RetryPolicy = RetryPolicy(), timeoutSeconds: Double = 30,
                maxResponseBytes: Int = 1 << 30, client: HTTPClient = CoordinatorConnection.sharedClient) {
        self.endpoint = endpoint
        self.retry = retry
        self.client = client
        self.timeout = .milliseconds(Int64(timeoutSeconds * 1000))
        self.maxResponseBytes = maxResponseBytes
    }

    /// The process-wide client (never shut down; it lives as long as the process).
    public static let sharedClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                                configuration: clientConfiguration(connectionsPerHost: 8))

    /// Connection failures come straight back to `send`, whose `RetryPolicy` decides what
    /// happens next (AsyncHTTPClient would otherwise keep reconnecting until the request's
    /// deadline: 30 s before a CLI command could say the coordinator is down).
    public static func clientConfiguration(connectionsPerHost: Int) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// Sends `body` as JSON and decodes the answer as `Response`.
    public func call<Body: Encodable, Response: Decodable>(
        _ method: String, _ path: String, body: Body, as type: Response.Type
    ) async throws(CoordinatorClientError) -> Response {
        let data: Data
        do {
            data = try WireJSON.encoder().encode(body)
        } catch {
            throw .badResponse(method: method, path: path, detail: "cannot encode request: \(error)")
        }
        return try decode(Response.self, try await send(method, path, body: data, contentType: "application/json"),
                          method: method, path: path)
    }

    /// Sends no body and decodes the answer as `Response`.
    public func call<Response: Decodable>(_ method: String, _ path: String,
                                          as type: Response.Type) async throws(CoordinatorClientError) -> Response {
        try decode(Response.self, try await send(method, path, body: nil, contentType: "application/json"),
                   method: method, path: path)
    }

    private func decode<Response: Decodable>(_ type: Response.Type, _ data: Data, method: String,
                                             path: String) throws(CoordinatorClientError) -> Response {
        do {
            return try WireJSON.decoder().decode(Response.self, from: data)
        } catch {
            throw .badResponse(method: method, path: path, detail: "cannot decode \(Response.self): \(error)")
        }
    }

    /// The absolute URL of an API path under the endpoint's base URL.
    func url(_ path: String) -> String {
        var base = endpoint.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Raw exchange: returns the body of a 2xx answer.
    public func send(_ method: String, _ path: String, body: Data?,
                     contentType: String) async throws(CoordinatorClientError) -> Data {
        let url = url(path)
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(endpoint.token)")
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType)
        }
        var attempt = 0
        var lastProblem = ""
        while attempt < retry.maxAttempts {
            attempt += 1
            do {
                let response = try await client.execute(request, timeout: timeout)
                let buffer = try await response.body.collect(upTo: maxResponseBytes)
                let data = Data(buffer.readableBytesView)
                let status = Int(response.status.code)
                if (200..<300).contains(status) { return data }
                if (400..<500).contains(status) {
                    throw CoordinatorClientError.refused(method: method, path: path, status: status,
                                                         body: try? WireJSON.decoder().decode(ErrorBody.self, from: data))
                }
                lastProblem = "HTTP \(status)"
            } catch let error as CoordinatorClientError {
                throw error
            } catch is CancellationError {
                throw .unreachable(method: method, url: url, attempts: attempt, lastProblem: "cancelled")
            } catch {
                if Task.isCancelled {
                    throw .unreachable(method: method, url: url, attempts: attempt, lastProblem: "cancelled")
                }
                lastProblem = "\(error)"
            }
            if attempt < retry.maxAttempts {
                do {
                    try await Task.sleep(for: .milliseconds(Int64(retry.delay(afterAttempt: attempt) * 1000)))
                } catch {
                    break
                }
            }
        }
        throw .unreachable(method: method, url: url, attempts: attempt, lastProblem: lastProblem)
    }
}
