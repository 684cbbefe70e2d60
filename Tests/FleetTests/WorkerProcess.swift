import Foundation
import TestSupport

/// `pyramidkv worker` as a child process; its log goes to a file (a full pipe would stall it).
final class WorkerProcess {
    let process = Process()
    let id: String
    let logPath: String

    init(directory: TemporaryDirectory, coordinator: CoordinatorProcess, id: String, exitWhenIdle: Bool) throws {
        guard let url = PyramidKVExecutable.url else { throw CLIProcessError.notBuilt }
        self.id = id
        logPath = directory.path("\(id).log")
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw CLIProcessError.cannotCreateLog(logPath)
        }
        process.executableURL = url
        process.arguments = ["worker", "--coordinator", coordinator.url, "--token-file", directory.path("worker.token"),
                             "--threads", "1", "--worker-id", id] + (exitWhenIdle ? ["--exit-when-idle"] : [])
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits for the process to exit by itself; nil when it is still running at the deadline.
    func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGTERM (finish or release the job, then exit) and the exit status.
    func terminate(within seconds: Double) async -> Int32? {
        process.terminate()
        return await exitStatus(within: seconds)
    }

    /// SIGKILL: the worker dies mid-job without a word to the coordinator.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}
