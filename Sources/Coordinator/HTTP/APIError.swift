import FleetCore
import Hummingbird

/// An HTTP error answer: status plus the JSON `ErrorBody` naming the field at fault. Handlers and
/// middleware throw it; Hummingbird (or `RequestMetricsMiddleware`, which counts it first) turns
/// it into the answer, `APIResponse.error`.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let body: ErrorBody

    init(_ status: HTTPResponse.Status, _ code: String, field: String?, _ message: String) {
        self.status = status
        self.body = ErrorBody(error: code, field: field, message: message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        APIResponse.error(self)
    }

    static func from(_ error: StoreError) -> APIError {
        switch error {
        case .notFound(_, _, let field):
            APIError(.notFound, "not_found", field: field, error.description)
        case .staleLease:
            APIError(.conflict, "stale_lease", field: "token", error.description)
        case .conflict(let field, _):
            APIError(.conflict, "conflict", field: field, error.description)
        case .invalid(let field, _):
            APIError(.badRequest, "invalid", field: field, error.description)
        case .databaseNewerThanBinary, .migrationFailed, .sqlite, .corruptRow:
            APIError(.internalServerError, "internal", field: nil, error.description)
        }
    }

    static func from(_ error: WireDecodingError) -> APIError {
        let code = switch error {
        case .malformedJSON: "malformed_json"
        case .unknownField: "unknown_field"
        case .missingField: "missing_field"
        case .wrongType: "wrong_type"
        case .invalidValue: "invalid_value"
        }
        return APIError(.badRequest, code, field: error.field, error.description)
    }
}
