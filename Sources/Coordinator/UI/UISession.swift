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
            guard header.hasPrefix("Bearer ") else { return .anonymous(reason: "the Authorization header is not a bearer token") }
            switch tokens.role(of: String(header.dropFirst("Bearer ".count))) {
            case .admin: return .admin
            case .worker: return .worker
            case nil: return .anonymous(reason: "the bearer token is not valid")
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
