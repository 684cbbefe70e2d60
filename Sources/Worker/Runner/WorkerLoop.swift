import FleetCore
import Foundation
import KVEngine

/// The worker process: lease a job, run it, repeat; back off while the coordinator is
/// unreachable or has no work; exit cleanly once asked to stop.
public struct WorkerLoop: Sendable {
    public let client: WorkerClient
    public let workerId: String
    public let models: ModelStore
    public let hardware: HardwareClass
    public let haystackDirectory: String
    public let stop: StopSignal
    public let idleSeconds: Double
    /// Exit when a lease finds no work (used by `pyramidkv demo` and tests).
    public let exitWhenIdle: Bool
    public let log: @Sendable (String) -> Void
    /// Memory for recent prefills that later jobs on the same samples reuse (0 turns it off).
    public let prefillCacheBytes: Int

    public static let defaultPrefillCacheBytes = 1 << 30

    public init(client: WorkerClient, workerId: String, models: ModelStore, hardware: HardwareClass,
                haystackDirectory: String, stop: StopSignal, idleSeconds: Double = 2, exitWhenIdle: Bool = false,
                prefillCacheBytes: Int = WorkerLoop.defaultPrefillCacheBytes,
                log: @escaping @Sendable (String) -> Void) {
        self.prefillCacheBytes = prefillCacheBytes
        self.client = client
        self.workerId = workerId
        self.models = models
        self.hardware = hardware
        self.haystackDirectory = haystackDirectory
        self.stop = stop
        self.idleSeconds = idleSeconds
        self.exitWhenIdle = exitWhenIdle
        self.log = log
    }

    /// The hardware class of this process.
    public static func localHardware(threads: Int) -> HardwareClass {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown cpu"
        return HardwareClass(cpu: "\(cpu) (OpenBLAS \(BLASRuntime.coreName))", threads: threads, dtype: "fp32")
    }

    /// Returns the number of jobs completed.
    @discardableResult
    public func run() async -> Int {
        let runner = JobRunner(client: client, models: models, hardware: hardware, haystackDirectory: haystackDirectory,
                               stop: stop, log: log, prefills: PrefillCache(capacityBytes: prefillCacheBytes))
        var completed = 0
        var backoff = idleSeconds
        while !stop.isRequested {
            let held = models.offered()
            let lease: Lease?
            do {
                lease = try await client.lease(LeaseRequest(workerId: workerId, hardware: hardware, models: held))
                backoff = idleSeconds
            } catch {
                // A refusal (4xx: a bad token, a request this build forms wrongly) says so: retrying
                // helps only once someone fixes it, so it backs off as an outage does.
                let what = error.status != nil ? "lease refused" : "coordinator unreachable"
                log("\(what) (\(error)); retrying in \(Int(backoff)) s")
                try? await Task.sleep(for: .seconds(backoff))
                backoff = min(backoff * 2, 30)
                continue
            }
            guard let lease else {
                if exitWhenIdle { break }
                try? await Task.sleep(for: .seconds(idleSeconds))
                continue
            }
            let budget = lease.spec.budget == JobSpec.wholeCache ? "" : "@\(lease.spec.budget)"
            log("leased job \(lease.jobId) (\(lease.spec.policy.name.rawValue)\(budget), \(lease.spec.dataset), \(lease.pendingSampleIds.count) samples)")
            if await runner.run(lease) == .completed { completed += 1 }
        }
        return completed
    }
}
