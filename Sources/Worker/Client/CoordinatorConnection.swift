import FleetCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where the coordinator is and the bearer token to present.
public struct CoordinatorEndpoint: Sendable {
    public let baseURL: URL
    public let token: String

    public init(baseURL: URL, token: String) {
        self.baseURL = baseURL
        self.token = token
    }
}

/// JSON over HTTP to the coordinator (Foundation's URLSession). Retries transport failures and
/// 5xx answers with backoff; 4xx answers are definitive and come back as `.refused`.
public struct CoordinatorConnection: Sendable {
    public let endpoint: CoordinatorEndpoint
    public let retry: RetryPolicy
    let session: URLSession

    public init(endpoint: CoordinatorEndpoint, retry: RetryPolicy = RetryPolicy(), timeoutSeconds: Double = 30) {
        self.endpoint = endpoint
        self.retry = retry
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: configuration)
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

    /// Raw exchange: returns the body of a 2xx answer.
    public func send(_ method: String, _ path: String, body: Data?,
                     contentType: String) async throws(CoordinatorClientError) -> Data {
        let url = endpoint.baseURL.appendingPathComponent(path)
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(endpoint.token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        var attempt = 0
        var lastProblem = ""
        while attempt < retry.maxAttempts {
            attempt += 1
            do {
                let (data, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return data }
                if (400..<500).contains(status) {
                    throw CoordinatorClientError.refused(method: method, path: path, status: status,
                                                         body: try? WireJSON.decoder().decode(ErrorBody.self, from: data))
                }
                lastProblem = "HTTP \(status)"
            } catch let error as CoordinatorClientError {
                throw error
            } catch is CancellationError {
                throw .unreachable(method: method, url: url.absoluteString, attempts: attempt, lastProblem: "cancelled")
            } catch {
                lastProblem = error.localizedDescription
            }
            if attempt < retry.maxAttempts {
                do {
                    try await Task.sleep(for: .milliseconds(Int64(retry.delay(afterAttempt: attempt) * 1000)))
                } catch {
                    break
                }
            }
        }
        throw .unreachable(method: method, url: url.absoluteString, attempts: attempt, lastProblem: lastProblem)
    }
}
