import Foundation

/// What `pyramidkv coordinator` was told; every field has a default but the tokens.
public struct CoordinatorConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); the chosen one is reported through `onListening`.
    public var port: Int
    public var tokens: APITokens
    /// How often expired leases are returned to the queue; nil: a quarter of the store's lease
    /// length, between 0.05 and 5 seconds.
    public var sweepIntervalSeconds: Double?
    /// Largest request body accepted; bigger ones get 413.
    public var maxBodyBytes: Int
    /// Recomputes a sample's prompt and kept positions for its page; nil: the page says they
    /// are not stored (`pyramidkv coordinator --inspect-models-dir` provides one).
    public var sampleInspector: (any SampleInspector)?

    public init(host: String = "127.0.0.1", port: Int = 8787, tokens: APITokens,
                sweepIntervalSeconds: Double? = nil, maxBodyBytes: Int = 64 << 20,
                sampleInspector: (any SampleInspector)? = nil) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.sweepIntervalSeconds = sweepIntervalSeconds
        self.maxBodyBytes = maxBodyBytes
        self.sampleInspector = sampleInspector
    }

    /// Parses `HOST:PORT` (`[::1]:8787` for IPv6).
    public static func parseListen(_ text: String) throws(CoordinatorConfigurationError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":") else { throw .badListenAddress(text) }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw .badListenAddress(text)
        }
        return (host, port)
    }

    /// Reads a token file: its content without surrounding whitespace.
    public static func readToken(file path: String, role: String) throws(CoordinatorConfigurationError) -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableTokenFile(role: role, path: path, detail: error.localizedDescription)
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .unreadableTokenFile(role: role, path: path, detail: "file is empty") }
        return token
    }
}

public enum CoordinatorConfigurationError: Error, CustomStringConvertible, Sendable {
    case emptyToken(role: String)
    case sameTokenForBothRoles
    case badListenAddress(String)
    case unreadableTokenFile(role: String, path: String, detail: String)

    public var description: String {
        switch self {
        case .emptyToken(let role): "the \(role) token is empty"
        case .sameTokenForBothRoles: "the admin and worker tokens must differ"
        case .badListenAddress(let text): "--listen '\(text)': expected HOST:PORT with a port in 0...65535"
        case .unreadableTokenFile(let role, let path, let detail): "\(role) token file \(path): \(detail)"
        }
    }
}
