import FleetCore
import Hummingbird

/// Answers requests that match no documented route (unknown path or method) with the same JSON
/// `ErrorBody` as every other refusal, instead of the framework's empty 404.
struct UnknownRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return APIResponse.error(APIError(error.status, error.status == .notFound ? "not_found" : "http_error",
                                              field: "path", "no route \(request.method) \(request.uri.path)"))
        }
    }
}
