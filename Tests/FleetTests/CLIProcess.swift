import Foundation
import TestSupport

/// The built `pyramidkv` executable, found next to the test bundle (nil when not built).
enum PyramidKVExecutable {
    static let url: URL? = {
        let here = Bundle.main.bundleURL
        let candidates = [here.appendingPathComponent("pyramidkv"),
                          here.deletingLastPathComponent().appendingPathComponent("pyramidkv")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs the CLI to completion and returns its exit status and output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String) {
        guard let url else { throw CLIProcessError.notBuilt }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self),
                String(decoding: stderr, as: UTF8.self))
    }
}

enum CLIProcessError: Error, CustomStringConvertible {
    case notBuilt
    case noListeningLine(String)
    case cannotCreateLog(String)

    var description: String {
        switch self {
        case .notBuilt:
            return "the pyramidkv executable is missing next to the test bundle (\(Bundle.main.bundleURL.path)): "
                + "run `swift build --product pyramidkv` (or `swift build --build-tests`) before `swift test`"
        case .noListeningLine(let output): return "the coordinator process never printed its listening line: \(output)"
        case .cannotCreateLog(let path): return "cannot create the worker log \(path)"
        }
    }

    /// Throws `.notBuilt` unless the CLI binary is there: the multi-process suites fail, not skip.
    static func requireBinary() throws {
        if PyramidKVExecutable.url == nil { throw CLIProcessError.notBuilt }
    }
}

/// `pyramidkv coordinator` as a child process on an ephemeral port.
final class CoordinatorProcess {
    let process = Process()
    let port: Int
    private let output: Pipe

    init(directory: TemporaryDirectory, leaseSeconds: Double = 60, port: Int = 0) async throws {
        guard let url = PyramidKVExecutable.url else { throw CLIProcessError.notBuilt }
        try adminToken.write(toFile: directory.path("admin.token"), atomically: true, encoding: .utf8)
        try workerToken.write(toFile: directory.path("worker.token"), atomically: true, encoding: .utf8)
        process.executableURL = url
        process.arguments = ["coordinator", "--db", directory.path("fleet.sqlite"), "--listen", "127.0.0.1:\(port)",
                             "--admin-token-file", directory.path("admin.token"),
                             "--worker-token-file", directory.path("worker.token"),
                             "--lease-seconds", String(leaseSeconds)]
        process.environment = ProcessInfo.processInfo.environment.merging(["LOG_LEVEL": "warning"]) { $1 }
        output = Pipe()
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        var text = ""
        var found: Int?
        while found == nil {
            let chunk = await Task.detached { handle.availableData }.value
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                found = Int(digits)
            }
        }
        guard let found else { throw CLIProcessError.noListeningLine(text) }
        self.port = found
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Sends SIGTERM and returns the exit status and the rest of stdout.
    func terminate() -> (status: Int32, stdout: String) {
        process.terminate()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
    }

    /// SIGKILL: no chance to clean up (a crash).
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
