import ArgumentParser
import Coordinator
import Foundation
import Worker

/// How a CLI command reaches the coordinator. The token never appears on the command line:
/// it comes from `--token-file F` or the PYRAMIDKV_TOKEN environment variable.
struct ClientOptions: ParsableArguments {
    @Option(help: "Coordinator URL (default: $PYRAMIDKV_COORDINATOR, else http://127.0.0.1:8787).")
    var coordinator: String?

    @Option(help: "File holding the bearer token (default: $PYRAMIDKV_TOKEN).")
    var tokenFile: String?

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    func endpoint() throws(CLIError) -> CoordinatorEndpoint {
        try Self.endpoint(address: coordinator, tokenFile: tokenFile)
    }

    /// The endpoint of `address` (default: $PYRAMIDKV_COORDINATOR, else loopback :8787) with the
    /// token of `tokenFile` (default: $PYRAMIDKV_TOKEN).
    static func endpoint(address: String?, tokenFile: String?) throws(CLIError) -> CoordinatorEndpoint {
        let environment = ProcessInfo.processInfo.environment
        let address = address ?? environment["PYRAMIDKV_COORDINATOR"] ?? "http://127.0.0.1:8787"
        guard let url = URL(string: address), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil else {
            throw CLIError("--coordinator '\(address)' is not an http(s) URL")
        }
        let token: String
        if let tokenFile {
            do {
                token = try CoordinatorConfiguration.readToken(file: tokenFile, role: "--token-file")
            } catch {
                throw CLIError(error.description)
            }
        } else if let value = environment["PYRAMIDKV_TOKEN"] {
            token = value.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            throw CLIError("no token: set PYRAMIDKV_TOKEN or pass --token-file F")
        }
        guard !token.isEmpty else { throw CLIError("the token is empty") }
        return CoordinatorEndpoint(baseURL: url, token: token)
    }

    func adminClient() throws(CLIError) -> AdminClient { Self.adminClient(try endpoint()) }

    static func adminClient(_ endpoint: CoordinatorEndpoint) -> AdminClient {
        AdminClient(connection: CoordinatorConnection(endpoint: endpoint,
                                                      retry: RetryPolicy(maxAttempts: 4, initialDelaySeconds: 0.25)))
    }
}

/// A CLI failure, printed as is.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
