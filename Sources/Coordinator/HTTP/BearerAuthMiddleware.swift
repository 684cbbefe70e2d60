import Hummingbird

/// Token authentication and role authorization for one router group: the routes of
/// `APIRoutes.all` that accept the same roles. 401 without a valid bearer token (both secrets
/// compared in constant time), 403 when the token's role is not one the group accepts. Runs
/// before the handler reads the body, so a refused request is never decoded.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: APITokens
    let accepts: Set<APIRole>

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let role: APIRole
        switch request.headers[.authorization].map({ tokens.credential(authorization: $0) }) ?? .notBearer {
        case .notBearer:
            throw APIError(.unauthorized, "unauthorized", field: "Authorization", "a bearer token is required")
        case .invalid:
            throw APIError(.unauthorized, "unauthorized", field: "Authorization", "the bearer token is not valid")
        case .role(let presented):
            role = presented
        }
        guard accepts.contains(role) else {
            // The endpoint path is the route's OpenAPI spelling (`/v1/jobs/{job_id}/complete`).
            throw APIError(.forbidden, "forbidden", field: "Authorization",
                           "the \(role.rawValue) token may not call \(request.method.rawValue) \(context.endpointPath ?? request.uri.path)")
        }
        return try await next(request, context)
    }
}
