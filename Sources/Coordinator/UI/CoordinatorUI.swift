import FleetCore
import Foundation
import Hummingbird

/// The pages under /ui (UIRoutes), served next to the JSON API by the same router. Each page
/// reads the store queries the API's handlers read. Order of checks: credential (401 with the
/// sign-in form; 403 for the worker token: `UISessionMiddleware`), parameters (400), the store (404).
struct CoordinatorUI: Sendable {
    let store: CoordinatorStore
    let configuration: CoordinatorConfiguration
    let session: UISession
    /// The sign-in form's body is one token and a path.
    static let maxFormBytes = 8 << 10

    init(store: CoordinatorStore, configuration: CoordinatorConfiguration) {
        self.store = store
        self.configuration = configuration
        self.session = UISession(tokens: configuration.tokens)
    }

    /// The pages of `UIRoutes.all` as router groups: the sign-in form and sign-out open to
    /// anyone, every other page behind `UISessionMiddleware`. Request metrics are counted by
    /// the router's `RequestMetricsMiddleware`, as for the API.
    func register(on router: Router<BasicRequestContext>) {
        for (roles, routes) in APIRoutes.byRoles(UIRoutes.all) {
            let group = router.group()
            if !roles.isEmpty {
                precondition(roles == APIRoutes.admin, "the pages open to the admin only")
                group.add(middleware: UISessionMiddleware(session: session))
            }
            for route in routes {
                group.on(RouterPath(route.routerPath), method: route.httpMethod) { request, context in
                    await respond(route, request, context)
                }
            }
        }
    }

    func respond(_ route: APIRoute, _ request: Request, _ context: BasicRequestContext) async -> Response {
        switch route {
        case UIRoutes.root, UIRoutes.uiRoot:
            return UIPage.response("", status: .found, extra: [.location: "/ui/experiments"])
        case UIRoutes.loginForm:
            let next = LoginPage.safeNext(request.uri.queryParameters.get("next"))
            return UIPage.response(LoginPage.render(next: next, message: nil))
        case UIRoutes.login:
            return await login(request)
        case UIRoutes.logout:
            return UIPage.response("", status: .seeOther,
                                   extra: [.location: "/ui/login", .setCookie: UISession.clearCookie])
        default:
            break
        }
        do {
            return try await page(route, request, context)
        } catch let error as UIPageError {
            return UIPage.problem(error.status, error.message)
        } catch let error as StoreError {
            let api = APIError.from(error)
            return UIPage.problem(api.status, api.body.message)
        } catch {
            return UIPage.problem(.internalServerError, "\(error)")
        }
    }

    private func login(_ request: Request) async -> Response {
        let bytes: [UInt8]
        do {
            bytes = Array(try await request.body.collect(upTo: Self.maxFormBytes).readableBytesView)
        } catch {
            return UIPage.problem(.contentTooLarge, "the sign-in form is limited to \(Self.maxFormBytes) bytes")
        }
        let form = FormBody.parse(bytes)
        let next = LoginPage.safeNext(form["next"])
        guard let token = form["token"], !token.isEmpty else {
            return UIPage.response(LoginPage.render(next: next, message: "the form has no token"), status: .badRequest)
        }
        switch configuration.tokens.role(of: token) {
        case .admin:
            return UIPage.response("", status: .seeOther, extra: [.location: next, .setCookie: session.setCookie])
        case .worker:
            return UIPage.response(LoginPage.render(next: next, message: "that is the worker token; the pages need the admin token"),
                                   status: .forbidden)
        case nil:
            return UIPage.response(LoginPage.render(next: next, message: "the token is not valid"), status: .unauthorized,
                                   extra: [.wwwAuthenticate: "Bearer"])
        }
    }

    private func page(_ route: APIRoute, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        switch route {
        case UIRoutes.experiments:
            let statuses = try await store.experiments()
            let specs = try await store.experimentSpecs()
            return UIPage.response(ExperimentsPage.render(statuses, specs: specs))
        case UIRoutes.workers:
            let workers = try await store.workers()
            return UIPage.response(WorkersPage.render(workers, now: store.now, leaseSeconds: store.leaseSeconds))
        case UIRoutes.experiment:
            let id = context.parameters.get("experiment") ?? ""
            let status = try await store.experimentStatus(id)
            let results = try await store.results(experiment: id)
            let budget = try budgetParameter(request, budgets: results.spec.budgets)
            return UIPage.response(ExperimentPage.render(status: status, results: results, budget: budget))
        case UIRoutes.download:
            return try await download(context)
        case UIRoutes.sample:
            return try await sample(context)
        default:
            throw UIPageError(.notFound, "no page \(route.path)")
        }
    }

    /// `?budget=B`: one of the sweep's budgets; absent: the first.
    private func budgetParameter(_ request: Request, budgets: [Int]) throws(UIPageError) -> Int {
        guard let text = request.uri.queryParameters.get("budget") else { return budgets.first ?? 0 }
        guard let budget = Int(text), budgets.contains(budget) else {
            throw UIPageError(.badRequest, "budget '\(text)' is not one of the experiment's budgets "
                              + "(\(budgets.map(String.init).joined(separator: ", ")))")
        }
        return budget
    }

    private func download(_ context: BasicRequestContext) async throws -> Response {
        let id = context.parameters.get("experiment") ?? ""
        let name = context.parameters.get("format") ?? ""
        guard let format = ResultsTableFormat(rawValue: name) else {
            throw UIPageError(.badRequest, "format '\(name)' is not one of "
                              + ResultsTableFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let results = try await store.results(experiment: id)
        let table: ResultsTable
        do {
            table = try ResultsTable.build(from: results)
        } catch {
            throw UIPageError(.notFound, error.description)
        }
        let (type, ext) = switch format {
        case .csv: ("text/csv; charset=utf-8", "csv")
        case .json: ("application/json", "json")
        case .latex: ("application/x-latex; charset=utf-8", "tex")
        case .md: ("text/markdown; charset=utf-8", "md")
        }
        // The experiment id was found in the store, so it is "exp-" and hex: safe in a header.
        var headers = UIPage.securityHeaders
        headers[.contentType] = type
        headers[.contentDisposition] = "attachment; filename=\"\(results.experiment).\(ext)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: format.render(table))))
    }

    private func sample(_ context: BasicRequestContext) async throws -> Response {
        let id = context.parameters.get("experiment") ?? ""
        let jobText = context.parameters.get("job_id") ?? ""
        guard let jobId = Int64(jobText), jobId > 0 else {
            throw UIPageError(.badRequest, "job id '\(jobText)' is not a positive integer")
        }
        let sampleId = context.parameters.get("sample") ?? ""
        let results = try await store.results(experiment: id)
        guard let job = results.jobs.first(where: { $0.jobId == jobId }) else {
            throw UIPageError(.notFound, "job \(jobId) is not part of \(id)")
        }
        guard let prediction = job.predictions.first(where: { $0.sampleId == sampleId }) else {
            throw UIPageError(.notFound, "job \(jobId) has no prediction for sample '\(sampleId)'")
        }
        let answers = prediction.sample.benchmark == .needle
            ? [job.spec.needle?.answerText ?? NeedleSettings.defaultAnswer] : (prediction.sample.answers ?? [])
        let inspection = await inspect(job: job.spec, prediction: prediction)
        return UIPage.response(SamplePage.render(experiment: id, job: job, prediction: prediction, answers: answers,
                                                 inspection: inspection))
    }

    private func inspect(job: JobSpec, prediction: PredictionRecord) async -> Result<SampleInspection, SampleInspectionFailure> {
        guard let inspector = configuration.sampleInspector else { return .failure(.noInspector) }
        do {
            var haystack: String?
            if let sha = job.needle?.haystackSha256 {
                haystack = String(decoding: try await store.blob(sha256: sha), as: UTF8.self)
            }
            return .success(try await inspector.inspect(SampleInspectionRequest(
                job: job, sample: prediction.sample, sampleId: prediction.sampleId, haystack: haystack)))
        } catch {
            return .failure(.failed("\(error)"))
        }
    }
}

/// A page refused: the status and a sentence for the page.
struct UIPageError: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}
