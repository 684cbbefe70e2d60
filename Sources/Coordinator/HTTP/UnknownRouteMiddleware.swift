import FleetCore
import Hummingbird

/// Answers requests that match no documented route with the same JSON `ErrorBody` as every
/// other refusal, instead of the framework's empty 404: 405 with `Allow` when the path exists
/// under other methods (RFC 9110 §15.5.6), 404 when it does not.
struct UnknownRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let path = request.uri.path
            let allowed = APIRoutes.served.filter { $0.matches(path: path) }.map(\.method)
            if error.status == .notFound, !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                var response = APIResponse.error(APIError(.methodNotAllowed, "method_not_allowed", field: "method",
                                                          "\(request.method) is not allowed on \(path); allowed: \(allowed.joined(separator: ", "))"))
                response.headers[.allow] = allowed.joined(separator: ", ")
                return response
            }
            return APIResponse.error(APIError(error.status, error.status == .notFound ? "not_found" : "http_error",
                                              field: "path", "no route \(request.method) \(request.uri.path)"))
        }
    }
}
