import FleetCore

/// A coordinator call that did not succeed, with the call and what came back.
public enum CoordinatorClientError: Error, CustomStringConvertible, Sendable {
    /// No answer after every retry (connection refused, timeout, 5xx).
    case unreachable(method: String, url: String, attempts: Int, lastProblem: String)
    /// A definitive refusal (4xx): retrying would not help.
    case refused(method: String, path: String, status: Int, body: ErrorBody?)
    /// An answer that is not what the API documents.
    case badResponse(method: String, path: String, detail: String)

    public var description: String {
        switch self {
        case .unreachable(let method, let url, let attempts, let lastProblem):
            return "coordinator unreachable: \(method) \(url) failed \(attempts) times (last: \(lastProblem))"
        case .refused(let method, let path, let status, let body):
            let field = body?.field.map { " [field: \($0)]" } ?? ""
            return "coordinator refused \(method) \(path) with \(status): \(body?.message ?? "no details")\(field)"
        case .badResponse(let method, let path, let detail):
            return "unexpected answer to \(method) \(path): \(detail)"
        }
    }

    /// The status of a refusal; nil otherwise.
    public var status: Int? {
        if case .refused(_, _, let status, _) = self { return status }
        return nil
    }

    /// True for a 409 `stale_lease`: the token is no longer the job's, so stop working on it.
    public var isStaleLease: Bool {
        if case .refused(_, _, 409, let body) = self { return body?.error == "stale_lease" }
        return false
    }
}
