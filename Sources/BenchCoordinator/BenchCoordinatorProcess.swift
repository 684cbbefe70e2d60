import Foundation

/// `pyramidkv coordinator` started by the benchmark as a child process, as users run the daemon:
/// its own process, on a loopback port of its choosing, with its CPU time read from /proc.
final class BenchCoordinatorProcess {
    private let process = Process()
    private let output = Pipe()
    let port: Int

    /// Starts the daemon on `database` and waits for its "listening on" line.
    init(database: String, adminTokenFile: String, workerTokenFile: String) async throws {
        guard let executable = Bundle.main.executableURL else {
            throw BenchError("cannot find this executable to start a coordinator; pass --in-process")
        }
        process.executableURL = executable
        process.arguments = ["coordinator", "--db", database, "--listen", "127.0.0.1:0",
                             "--admin-token-file", adminTokenFile, "--worker-token-file", workerTokenFile]
        process.environment = ProcessInfo.processInfo.environment.merging(["LOG_LEVEL": "warning"]) { $1 }
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        var text = ""
        while true {
            let chunk = await Task.detached { handle.availableData }.value
            if chunk.isEmpty {
                throw BenchError("the coordinator process exited before listening: \(text)")
            }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "listening on http://127.0.0.1:"),
               let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                self.port = port
                return
            }
        }
    }

    /// User + system CPU seconds the daemon has used so far (/proc/PID/stat fields 14 and 15).
    func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        guard let close = stat.lastIndex(of: ")") else { throw BenchError("unreadable /proc stat: \(stat)") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchError("unreadable /proc stat: \(stat)")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM, then waits for the clean exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A benchmark that could not run, with what went wrong.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
