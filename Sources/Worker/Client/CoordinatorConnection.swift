import FleetCore
import Foundation

/// Where the coordinator is and the bearer token to present.
public struct CoordinatorEndpoint: Sendable {
    public let baseURL: URL
    public let token: String

    public init(baseURL: URL, token: String) {
        self.baseURL = baseURL
        self.token = token
    }
}

/// JSON over HTTP to the coordinator (libcurl: keep-alive connections, reused by every copy of
/// this value). Retries transport failures and 5xx answers with backoff; 4xx answers are
/// definitive and come back as `.refused`.
public struct CoordinatorConnection: Sendable {
    public let endpoint: CoordinatorEndpoint
    public let retry: RetryPolicy
    let transport: CurlTransport
    /// Largest answer read (blobs are the big ones).
    let maxResponseBytes: Int

    /// Connection failures come straight back to `send` (5 s connect timeout), whose
    /// `RetryPolicy` decides what happens next; `timeoutSeconds` bounds a whole exchange.
    public init(endpoint: CoordinatorEndpoint, retry: RetryPolicy = RetryPolicy(), timeoutSeconds: Double = 30,
                connectTimeoutSeconds: Double = 5, maxResponseBytes: Int = 1 << 30) {
        self.endpoint = endpoint
        self.retry = retry
        self.transport = CurlTransport(connectTimeoutSeconds: connectTimeoutSeconds, timeoutSeconds: timeoutSeconds)
        self.maxResponseBytes = maxResponseBytes
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
        var headers = ["Authorization: Bearer \(endpoint.token)"]
        if body != nil { headers.append("Content-Type: \(contentType)") }
        var attempt = 0
        var lastProblem = ""
        while attempt < retry.maxAttempts {
            attempt += 1
            if Task.isCancelled {
                throw .unreachable(method: method, url: url, attempts: attempt, lastProblem: "cancelled")
            }
            do {
                let answer = try await transport.exchange(method: method, url: url, headers: headers, body: body,
                                                          maxResponseBytes: maxResponseBytes)
                if (200..<300).contains(answer.status) { return answer.body }
                if (400..<500).contains(answer.status) {
                    throw CoordinatorClientError.refused(method: method, path: path, status: answer.status,
                                                         body: try? WireJSON.decoder().decode(ErrorBody.self, from: answer.body))
                }
                lastProblem = "HTTP \(answer.status)"
            } catch let error as CoordinatorClientError {
                throw error
            } catch CurlFailure.tooLarge(let limit) {
                throw .badResponse(method: method, path: path, detail: "answer larger than \(limit) bytes")
            } catch CurlFailure.cancelled {
                throw .unreachable(method: method, url: url, attempts: attempt, lastProblem: "cancelled")
            } catch {
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
