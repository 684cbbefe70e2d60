import FleetCore
import Foundation
import Hummingbird

/// The HTTP JSON API over `CoordinatorStore` (schema/openapi.yaml). Every answer is JSON; every
/// refusal is a 4xx `ErrorBody` naming the field. Order of checks: token (401/403, the group's
/// `BearerAuthMiddleware`), body size (413), body shape (400), then the store (404/409).
public struct CoordinatorAPI: Sendable {
    let store: CoordinatorStore
    let configuration: CoordinatorConfiguration
    let requestMetrics = RequestMetrics()

    public init(store: CoordinatorStore, configuration: CoordinatorConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// A router with every route of `APIRoutes.served`: the JSON API and the pages of
    /// `UIRoutes.all`, one router group per set of accepted roles, each behind its auth
    /// middleware (none for the public group). The router-wide middleware comes first, as
    /// Hummingbird applies middleware only to the routes added after it.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: requestMetrics, routes: APIRoutes.served))
        router.add(middleware: UnknownRouteMiddleware())
        CoordinatorUI(store: store, configuration: configuration).register(on: router)
        for (roles, routes) in APIRoutes.byRoles(APIRoutes.all) {
            let group = router.group()
            if !roles.isEmpty {
                group.add(middleware: BearerAuthMiddleware(tokens: configuration.tokens, accepts: roles))
            }
            for route in routes {
                guard let handler = handler(for: route) else { preconditionFailure("no handler for \(route.method) \(route.path)") }
                group.on(RouterPath(route.routerPath), method: route.httpMethod) { request, context in
                    try await respond(route, handler, request, context)
                }
            }
        }
        return router
    }

    /// One authorized request: body size (413), then the handler (400, 404, 409, ...). Every
    /// refusal is thrown as an `APIError`.
    private func respond(_ route: APIRoute, _ handler: Handler, _ request: Request,
                         _ context: BasicRequestContext) async throws(APIError) -> Response {
        let body = try await readBody(request)
        var parameters: [String: String] = [:]
        for name in ["job_id", "experiment", "sha256"] {
            if let value = context.parameters.get(name) { parameters[name] = value }
        }
        do {
            return try await handler(APIExchange(route: route, parameters: parameters, body: body))
        } catch let error as APIError {
            throw error
        } catch let error as StoreError {
            throw APIError.from(error)
        } catch {
            throw APIError(.internalServerError, "internal", field: nil, "\(error)")
        }
    }

    private func readBody(_ request: Request) async throws(APIError) -> [UInt8] {
        let limit = configuration.maxBodyBytes
        let tooLarge = APIError(.contentTooLarge, "body_too_large", field: "body",
                                "request body exceeds the limit of \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw tooLarge
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch {
            throw tooLarge
        }
    }

    typealias Handler = @Sendable (APIExchange) async throws -> Response

    /// What answers `route`; nil for a route this API does not know (a programming error,
    /// caught when the router is built).
    private func handler(for route: APIRoute) -> Handler? {
        switch route {
        case APIRoutes.health:
            return { _ in
                APIResponse.json(HealthResponse(status: "ok", schemaVersion: SchemaMigrations.latestVersion,
                                                engineVersion: EngineVersion.current))
            }
        case APIRoutes.metrics:
            return { _ in
                let text = PrometheusText.render(store: try await store.metrics(), requests: requestMetrics.snapshot(),
                                                 connections: requestMetrics.connectionsAccepted)
                return APIResponse.bytes(Array(text.utf8), contentType: "text/plain; version=0.0.4")
            }
        case APIRoutes.submit:
            return { exchange in
                let response = try await store.submit(try exchange.decode(SubmitRequest.self))
                return APIResponse.json(response, status: response.jobsCreated > 0 ? .created : .ok)
            }
        case APIRoutes.listExperiments:
            return { _ in APIResponse.json(ExperimentList(experiments: try await store.experiments())) }
        case APIRoutes.getExperiment:
            return { exchange in APIResponse.json(try await store.experimentStatus(exchange.experimentId())) }
        case APIRoutes.cancel:
            return { exchange in APIResponse.json(try await store.cancel(experiment: exchange.experimentId())) }
        case APIRoutes.requeue:
            return { exchange in APIResponse.json(try await store.requeue(experiment: exchange.experimentId())) }
        case APIRoutes.results:
            return { exchange in APIResponse.json(try await store.results(experiment: exchange.experimentId())) }
        case APIRoutes.scores:
            return { exchange in APIResponse.json(try await store.storeScores(try exchange.decode(ScoreUpload.self))) }
        case APIRoutes.experimentSamples:
            return { exchange in APIResponse.json(SampleList(samples: try await store.samples(experiment: exchange.experimentId()))) }
        case APIRoutes.imports:
            return { exchange in APIResponse.json(try await store.importResults(try exchange.decode(ResultsExport.Batch.self))) }
        case APIRoutes.workers:
            return { _ in APIResponse.json(WorkerList(workers: try await store.workers())) }
        case APIRoutes.lease:
            return { exchange in
                guard let claimed = try await store.leaseWire(try exchange.decode(LeaseRequest.self)) else {
                    return APIResponse.json(LeaseResponse(lease: nil))
                }
                return APIResponse.bytes(try claimed.grant.responseJSON(specJSON: claimed.specJSON),
                                         contentType: "application/json")
            }
        case APIRoutes.heartbeat:
            return { exchange in
                APIResponse.json(try await store.heartbeat(job: try exchange.jobId(),
                                                           try exchange.decode(HeartbeatRequest.self)))
            }
        case APIRoutes.samples:
            return { exchange in APIResponse.json(SampleList(samples: try await store.samples(job: try exchange.jobId()))) }
        case APIRoutes.predictions:
            return { exchange in
                APIResponse.json(try await store.postPrediction(job: try exchange.jobId(),
                                                                try exchange.decode(PredictionPost.self)))
            }
        case APIRoutes.complete:
            return { exchange in
                let request = try exchange.decode(CompleteRequest.self)
                return APIResponse.json(try await store.complete(job: try exchange.jobId(), token: request.token))
            }
        case APIRoutes.fail:
            return { exchange in
                APIResponse.json(try await store.fail(job: try exchange.jobId(), try exchange.decode(FailRequest.self)))
            }
        case APIRoutes.release:
            return { exchange in
                let request = try exchange.decode(CompleteRequest.self)
                return APIResponse.json(try await store.release(job: try exchange.jobId(), token: request.token))
            }
        case APIRoutes.getBlob:
            return { exchange in
                APIResponse.bytes(try await store.blob(sha256: try exchange.sha256()), contentType: "application/octet-stream")
            }
        case APIRoutes.putBlob:
            return { exchange in
                APIResponse.json(try await store.putBlob(sha256: try exchange.sha256(), bytes: exchange.body), status: .created)
            }
        default:
            return nil
        }
    }
}

struct HealthResponse: Codable, Sendable {
    let status: String
    let schemaVersion: Int
    let engineVersion: String

    private enum CodingKeys: String, CodingKey {
        case status, schemaVersion = "schema_version", engineVersion = "engine_version"
    }
}
