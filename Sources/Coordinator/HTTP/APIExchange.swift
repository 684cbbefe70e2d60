import FleetCore
import Foundation
import Hummingbird

/// One authenticated request as the handlers see it: path parameters and the raw body.
struct APIExchange: Sendable {
    let route: APIRoute
    let parameters: [String: String]
    let body: [UInt8]

    /// The request body decoded strictly (unknown fields refused).
    func decode<T: Codable>(_ type: T.Type) throws(APIError) -> T {
        do {
            return try StrictJSONDecoder.decode(T.self, from: Data(body))
        } catch {
            throw APIError.from(error)
        }
    }

    func jobId() throws(APIError) -> Int64 {
        let text = parameters["job_id"] ?? ""
        guard let id = Int64(text), id > 0 else {
            throw APIError(.badRequest, "invalid", field: "job_id", "job id '\(text)' is not a positive integer")
        }
        return id
    }

    func experimentId() -> String { parameters["experiment"] ?? "" }

    func sha256() throws(APIError) -> String {
        let text = parameters["sha256"] ?? ""
        guard ContentHash.isSHA256Hex(text) else {
            throw APIError(.badRequest, "invalid", field: "sha256", "'\(text)' is not 64 lower-case hex digits")
        }
        return text
    }
}

/// Response builders.
enum APIResponse {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let data = try WireJSON.encoder().encode(value)
            return Response(status: status, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return self.error(APIError(.internalServerError, "internal", field: nil, "cannot encode response: \(error)"))
        }
    }

    static func error(_ error: APIError) -> Response {
        var response = json(error.body, status: error.status)
        if error.status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer"
        }
        return response
    }

    static func bytes(_ bytes: [UInt8], contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
