import FleetCore
import Foundation
import Hummingbird

/// The HTTP JSON API over `CoordinatorStore` (schema/openapi.yaml). Every answer is JSON; every
/// refusal is a 4xx `ErrorBody` naming the field. Order of checks: token (401/403), body size
/// (413), body shape (400), then the store (404/409).
public struct CoordinatorAPI: Sendable {
    let store: CoordinatorStore
    let configuration: CoordinatorConfiguration
    let requestMetrics = RequestMetrics()

    public init(store: CoordinatorStore, configuration: CoordinatorConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// A router with every route of `APIRoutes.all` and the pages of `UIRoutes.all`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: UnknownRouteMiddleware())
        CoordinatorUI(store: store, configuration: configuration, metrics: requestMetrics).register(on: router)
        for route in APIRoutes.all {
            router.on(RouterPath(route.routerPath), method: HTTPRequest.Method(rawValue: route.method) ?? .get) {
                request, context in
                await respond(route, request, context)
            }
        }
        return router
    }

    func respond(_ route: APIRoute, _ request: Request, _ context: BasicRequestContext) async -> Response {
        let started = ContinuousClock.now
        let response: Response
        do throws(APIError) {
            try authorize(route, request)
            let body = try await readBody(request)
            var parameters: [String: String] = [:]
            for name in ["job_id", "experiment", "sha256"] {
                if let value = context.parameters.get(name) { parameters[name] = value }
            }
            response = try await handle(APIExchange(route: route, parameters: parameters, body: body))
        } catch {
            response = APIResponse.error(error)
        }
        requestMetrics.record(route: route, status: response.status.code,
                              seconds: (ContinuousClock.now - started).inSeconds)
        return response
    }

    private func authorize(_ route: APIRoute, _ request: Request) throws(APIError) {
        guard !route.roles.isEmpty else { return }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, "unauthorized", field: "Authorization", "a bearer token is required")
        }
        guard let role = configuration.tokens.role(of: String(header.dropFirst("Bearer ".count))) else {
            throw APIError(.unauthorized, "unauthorized", field: "Authorization", "the bearer token is not valid")
        }
        guard route.roles.contains(role) else {
            throw APIError(.forbidden, "forbidden", field: "Authorization",
                           "the \(role.rawValue) token may not call \(route.method) \(route.path)")
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

    private func handle(_ exchange: APIExchange) async throws(APIError) -> Response {
        do {
            switch exchange.route {
            case APIRoutes.health:
                return APIResponse.json(HealthResponse(status: "ok", schemaVersion: SchemaMigrations.latestVersion,
                                                       engineVersion: EngineVersion.current))
            case APIRoutes.metrics:
                let text = PrometheusText.render(store: try await store.metrics(), requests: requestMetrics.snapshot())
                return APIResponse.bytes(Array(text.utf8), contentType: "text/plain; version=0.0.4")
            case APIRoutes.submit:
                let response = try await store.submit(try exchange.decode(SubmitRequest.self))
                return APIResponse.json(response, status: response.jobsCreated > 0 ? .created : .ok)
            case APIRoutes.listExperiments:
                return APIResponse.json(ExperimentList(experiments: try await store.experiments()))
            case APIRoutes.getExperiment:
                return APIResponse.json(try await store.experimentStatus(exchange.experimentId()))
            case APIRoutes.cancel:
                return APIResponse.json(try await store.cancel(experiment: exchange.experimentId()))
            case APIRoutes.requeue:
                return APIResponse.json(try await store.requeue(experiment: exchange.experimentId()))
            case APIRoutes.results:
                return APIResponse.json(try await store.results(experiment: exchange.experimentId()))
            case APIRoutes.scores:
                return APIResponse.json(try await store.storeScores(try exchange.decode(ScoreUpload.self)))
            case APIRoutes.workers:
                return APIResponse.json(WorkerList(workers: try await store.workers()))
            case APIRoutes.lease:
                guard let claimed = try await store.leaseWire(try exchange.decode(LeaseRequest.self)) else {
                    return APIResponse.json(LeaseResponse(lease: nil))
                }
                return APIResponse.bytes(try claimed.grant.responseJSON(specJSON: claimed.specJSON),
                                         contentType: "application/json")
            case APIRoutes.heartbeat:
                return APIResponse.json(try await store.heartbeat(job: try exchange.jobId(),
                                                                  try exchange.decode(HeartbeatRequest.self)))
            case APIRoutes.samples:
                return APIResponse.json(SampleList(samples: try await store.samples(job: try exchange.jobId())))
            case APIRoutes.predictions:
                return APIResponse.json(try await store.postPrediction(job: try exchange.jobId(),
                                                                       try exchange.decode(PredictionPost.self)))
            case APIRoutes.complete:
                let request = try exchange.decode(CompleteRequest.self)
                return APIResponse.json(try await store.complete(job: try exchange.jobId(), token: request.token))
            case APIRoutes.fail:
                return APIResponse.json(try await store.fail(job: try exchange.jobId(),
                                                             try exchange.decode(FailRequest.self)))
            case APIRoutes.release:
                let request = try exchange.decode(CompleteRequest.self)
                return APIResponse.json(try await store.release(job: try exchange.jobId(), token: request.token))
            case APIRoutes.getBlob:
                return APIResponse.bytes(try await store.blob(sha256: try exchange.sha256()),
                                         contentType: "application/octet-stream")
            case APIRoutes.putBlob:
                let stored = try await store.putBlob(sha256: try exchange.sha256(), bytes: exchange.body)
                return APIResponse.json(stored, status: .created)
            default:
                throw APIError(.notFound, "not_found", field: "path", "no route \(exchange.route.path)")
            }
        } catch let error as APIError {
            throw error
        } catch let error as StoreError {
            throw APIError.from(error)
        } catch {
            throw APIError(.internalServerError, "internal", field: nil, "\(error)")
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
