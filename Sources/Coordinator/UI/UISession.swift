import FleetCore
import Foundation
import Hummingbird

/// Who may see the pages: the admin, by `Authorization: Bearer ADMIN` or by the session cookie
/// the login form sets. The cookie holds sha256("pyramidkv-ui-session\n" + admin token), not the
/// token itself: it opens only the pages' GETs (the JSON API still wants the bearer header), it
/// survives a coordinator restart, and it changes when the token does. HttpOnly, SameSite=Strict,
/// Path=/ui; not Secure, because the coordinator serves plain HTTP (put TLS in front of it).
struct UISession: Sendable {
    static let cookieName = "pyramidkv_session"
    /// 12 hours, then the form again.
    static let maxAgeSeconds = 43_200

    let tokens: APITokens
    let cookieValue: String

    init(tokens: APITokens) {
        self.tokens = tokens
        cookieValue = ContentHash.sha256Hex(Array("pyramidkv-ui-session\n\(tokens.adminToken)".utf8))
    }

    enum Verdict: Equatable {
        case admin
        /// A valid token of the worker role: 403.
        case worker
        /// No credential, or one that is not valid: 401 with the login form.
        case anonymous(reason: String?)
    }

    func verdict(for request: Request) -> Verdict {
        if let header = request.headers[.authorization] {
            switch tokens.credential(authorization: header) {
            case .notBearer: return .anonymous(reason: "the Authorization header is not a bearer token")
            case .invalid: return .anonymous(reason: "the bearer token is not valid")
            case .role(.admin): return .admin
            case .role(.worker): return .worker
            }
        }
        guard let cookie = Self.cookie(named: Self.cookieName, in: request.headers) else { return .anonymous(reason: nil) }
        return ConstantTime.equal(cookie, cookieValue) ? .admin : .anonymous(reason: "the session has expired; sign in again")
    }

    var setCookie: String {
        "\(Self.cookieName)=\(cookieValue); Path=/ui; Max-Age=\(Self.maxAgeSeconds); HttpOnly; SameSite=Strict"
    }

    static let clearCookie = "\(cookieName)=; Path=/ui; Max-Age=0; HttpOnly; SameSite=Strict"

    /// The value of one cookie from every `Cookie` header (RFC 6265 §5.4: "a=1; b=2").
    static func cookie(named name: String, in headers: HTTPFields) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}

/// The pages' credential check, on the router group of the admin pages: the page itself for
/// the admin, a 403 page for the worker token, the sign-in form (401) for anyone else.
struct UISessionMiddleware<Context: RequestContext>: RouterMiddleware {
    let session: UISession

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        switch session.verdict(for: request) {
        case .admin:
            return try await next(request, context)
        case .worker:
            return UIPage.problem(.forbidden, "the worker token may not open the pages; sign in with the admin token")
        case .anonymous(let reason):
            let next = LoginPage.safeNext(request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
            return UIPage.response(LoginPage.render(next: next, message: reason), status: .unauthorized,
                                   extra: [.wwwAuthenticate: "Bearer"])
        }
    }
}
