import Hummingbird

/// One documented endpoint: method, path in OpenAPI spelling (`/v1/jobs/{job_id}/complete`)
/// and the roles whose token it accepts (none: no token needed).
public struct APIRoute: Sendable, Hashable {
    public let method: String
    public let path: String
    public let roles: Set<APIRole>

    /// Whether a request path (`/v1/jobs/7/complete`) fills this route's template.
    func matches(path requestPath: String) -> Bool {
        let want = path.split(separator: "/", omittingEmptySubsequences: false)
        let got = requestPath.split(separator: "/", omittingEmptySubsequences: false)
        guard want.count == got.count else { return false }
        return zip(want, got).allSatisfy { w, g in (w.hasPrefix("{") && w.hasSuffix("}") && !g.isEmpty) || w == g }
    }

    /// The path in Hummingbird's spelling (`/v1/jobs/:job_id/complete`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }

    var httpMethod: HTTPRequest.Method { HTTPRequest.Method(rawValue: method) ?? .get }
}

/// The API surface, as documented in schema/openapi.yaml (a test checks the two agree).
public enum APIRoutes {
    static let anyone: Set<APIRole> = []
    static let admin: Set<APIRole> = [.admin]
    static let worker: Set<APIRole> = [.worker]
    static let either: Set<APIRole> = [.admin, .worker]

    public static let health = APIRoute(method: "GET", path: "/healthz", roles: anyone)
    public static let metrics = APIRoute(method: "GET", path: "/metrics", roles: either)
    public static let submit = APIRoute(method: "POST", path: "/v1/experiments", roles: admin)
    public static let listExperiments = APIRoute(method: "GET", path: "/v1/experiments", roles: admin)
    public static let getExperiment = APIRoute(method: "GET", path: "/v1/experiments/{experiment}", roles: admin)
    public static let cancel = APIRoute(method: "POST", path: "/v1/experiments/{experiment}/cancel", roles: admin)
    public static let requeue = APIRoute(method: "POST", path: "/v1/experiments/{experiment}/requeue", roles: admin)
    public static let results = APIRoute(method: "GET", path: "/v1/experiments/{experiment}/results", roles: admin)
    public static let experimentSamples = APIRoute(method: "GET", path: "/v1/experiments/{experiment}/samples", roles: admin)
    public static let scores = APIRoute(method: "POST", path: "/v1/scores", roles: admin)
    public static let imports = APIRoute(method: "POST", path: "/v1/imports", roles: admin)
    public static let workers = APIRoute(method: "GET", path: "/v1/workers", roles: admin)
    public static let lease = APIRoute(method: "POST", path: "/v1/leases", roles: worker)
    public static let heartbeat = APIRoute(method: "POST", path: "/v1/jobs/{job_id}/heartbeat", roles: worker)
    public static let samples = APIRoute(method: "GET", path: "/v1/jobs/{job_id}/samples", roles: worker)
    public static let predictions = APIRoute(method: "POST", path: "/v1/jobs/{job_id}/predictions", roles: worker)
    public static let complete = APIRoute(method: "POST", path: "/v1/jobs/{job_id}/complete", roles: worker)
    public static let fail = APIRoute(method: "POST", path: "/v1/jobs/{job_id}/fail", roles: worker)
    public static let release = APIRoute(method: "POST", path: "/v1/jobs/{job_id}/release", roles: worker)
    public static let getBlob = APIRoute(method: "GET", path: "/v1/blobs/{sha256}", roles: either)
    public static let putBlob = APIRoute(method: "PUT", path: "/v1/blobs/{sha256}", roles: admin)

    public static let all: [APIRoute] = [
        health, metrics, submit, listExperiments, getExperiment, cancel, requeue, results, experimentSamples, scores, imports, workers,
        lease, heartbeat, samples, predictions, complete, fail, release, getBlob, putBlob,
    ]

    /// `routes` split by the roles they accept, each part in table order: one router group
    /// (and one auth middleware) per part.
    static func byRoles(_ routes: [APIRoute]) -> [(roles: Set<APIRole>, routes: [APIRoute])] {
        var parts: [(roles: Set<APIRole>, routes: [APIRoute])] = []
        for route in routes {
            if let index = parts.firstIndex(where: { $0.roles == route.roles }) {
                parts[index].routes.append(route)
            } else {
                parts.append((route.roles, [route]))
            }
        }
        return parts
    }
}
