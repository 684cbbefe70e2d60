import Hummingbird

/// Counts and times every request that reached a served route (`APIRoutes.served`), by route
/// and final status, refusals by the groups' auth middleware included. Added to the router
/// before any route, so it wraps each route's whole chain; requests that match no route are
/// not counted (as before). An `HTTPResponseError` thrown inside (an `APIError`) is turned
/// into its answer here, so the status counted is the status sent.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics
    /// "METHOD endpoint path", as Hummingbird names the matched route.
    private let routes: [String: APIRoute]

    init(metrics: RequestMetrics, routes: [APIRoute]) {
        self.metrics = metrics
        self.routes = Dictionary(uniqueKeysWithValues: routes.map { (Self.key($0.method, RouterPath($0.routerPath).description), $0) })
    }

    private static func key(_ method: String, _ endpointPath: String) -> String { "\(method) \(endpointPath)" }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = context.endpointPath, let route = routes[Self.key(request.method.rawValue, path)] else {
            return try await next(request, context)
        }
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        metrics.record(route: route, status: response.status.code, seconds: (ContinuousClock.now - started).inSeconds)
        return response
    }
}
