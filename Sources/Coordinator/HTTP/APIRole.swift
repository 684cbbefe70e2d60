import FleetCore

/// Who may call a route. Admin and worker tokens are different secrets (design §4).
public enum APIRole: String, Sendable {
    case admin
    case worker
}

/// The two bearer tokens, compared in constant time.
public struct APITokens: Sendable {
    public let adminToken: String
    public let workerToken: String

    /// Both must be non-empty and different.
    public init(admin: String, worker: String) throws(CoordinatorConfigurationError) {
        guard !admin.isEmpty else { throw .emptyToken(role: "admin") }
        guard !worker.isEmpty else { throw .emptyToken(role: "worker") }
        guard admin != worker else { throw .sameTokenForBothRoles }
        adminToken = admin
        workerToken = worker
    }

    /// The role of `token`, or nil. Both secrets are always compared.
    func role(of token: String) -> APIRole? {
        let isAdmin = ConstantTime.equal(token, adminToken)
        let isWorker = ConstantTime.equal(token, workerToken)
        return isAdmin ? .admin : (isWorker ? .worker : nil)
    }

    /// What an `Authorization` header value presents: not a bearer token, a token that is
    /// neither secret, or the role of the one it is.
    func credential(authorization header: String) -> BearerCredential {
        guard header.hasPrefix("Bearer ") else { return .notBearer }
        return role(of: String(header.dropFirst("Bearer ".count))).map(BearerCredential.role) ?? .invalid
    }
}

/// An `Authorization` header as `APITokens` reads it.
enum BearerCredential: Equatable {
    case notBearer
    case invalid
    case role(APIRole)
}
