import FleetCore
import Foundation
import PolicySpec
import KVEngine

/// Runs one leased job: each pending sample through the engine, posting each prediction as
/// soon as it exists, with heartbeats on a timer. Stops early (releasing the job) when the
/// coordinator cancels it, the lease is lost, or the worker is told to stop.
struct JobRunner {
    let client: WorkerClient
    let models: ModelStore
    let hardware: HardwareClass
    let haystackDirectory: String
    let stop: StopSignal
    let log: @Sendable (String) -> Void
    let blobs = HaystackBlobCache()
    let prefills: PrefillCache

    enum Outcome: Equatable { case completed, released, cancelled, leaseLost, failed(String) }

    func run(_ lease: Lease) async -> Outcome {
        let interrupted = StopSignal()
        let done = SampleCounter()
        let heartbeat = Task { await beat(lease, done: done, interrupted: interrupted) }
        defer { heartbeat.cancel() }
        do {
            let samples = try await client.samples(job: lease.jobId)
            let pending = Set(lease.pendingSampleIds)
            var haystackBlob: (sha256: String, text: String)?
            if let sha256 = lease.spec.needle?.haystackSha256 {
                let text = try await blobs.text(sha256: sha256, client: client)
                haystackBlob = (sha256, text)
                log("job \(lease.jobId): haystack blob:\(sha256) (\(text.utf8.count) bytes)")
            }
            // Results carry the job's key, so they must come from the numerics that key names (a
            // coordinator filters leases by version; this holds against one that does not).
            let version = EngineVersion.of(lease.spec.numerics)
            guard lease.spec.engineVersion == version else {
                throw WorkerError.numericsMismatch(job: lease.spec.engineVersion, mode: lease.spec.numerics.rawValue, worker: version)
            }
            let model = try models.model(sha256: lease.spec.modelSha256)
            // The job's numerics mode (part of its key) for every product of its samples; jobs
            // run one at a time, so the process-wide setting is the job's.
            KernelRuntime.activations = lease.spec.numerics
            var hardware = hardware
            hardware.dtype = lease.spec.numerics == .int8 ? "int8" : "fp32"
            hardware.engineVersion = version
            let prompter = try SamplePrompter(model: model, spec: lease.spec, haystackDirectory: haystackDirectory,
                                              haystackBlob: haystackBlob)
            for stored in samples where pending.contains(stored.id) {
                if interrupted.isRequested { return await release(lease, as: .cancelled) }
                if stop.isRequested { return await release(lease, as: .released) }
                let request = try prompter.request(for: stored)
                let (result, shared) = try await Self.generate(model: model, sha256: lease.spec.modelSha256, request: request,
                                                               prefills: prefills)
                let posted = SampleResult(
                    sampleId: stored.id, prediction: result.text, promptTokens: result.promptTokens,
                    generatedTokens: result.tokens.count, prefillSeconds: result.prefillMs / 1000,
                    decodeSeconds: result.decodeMs / 1000, kvBytes: result.kvBytes, hardware: hardware,
                    scores: SampleScorer.scores(prediction: result.text, sample: stored.sample, job: lease.spec))
                _ = try await client.post(posted, for: lease)
                done.increment()
                let primary = posted.scores?.first.map { String(format: ", %@ %.2f", $0.metric, $0.score) } ?? ""
                log("job \(lease.jobId): sample \(done.value)/\(pending.count) (\(result.promptTokens) tokens\(shared ? ", prefill shared" : ""), \(String(format: "%.1f", (result.prefillMs + result.decodeMs) / 1000)) s\(primary))")
            }
            _ = try await client.complete(lease)
            return .completed
        } catch let e as CoordinatorClientError {
            log("job \(lease.jobId): coordinator: \(e)")
            return .leaseLost
        } catch {
            let message = "\(error)"
            log("job \(lease.jobId) failed: \(message)")
            _ = try? await client.fail(lease, error: message)
            return .failed(message)
        }
    }

    /// Engine work runs off the cooperative pool so heartbeats keep flowing.
    static func generate(model: LanguageModel, sha256: String, request: GenerationRequest,
                         prefills: PrefillCache) async throws -> (GenerationResult, shared: Bool) {
        try await withCheckedThrowingContinuation { cont in
            Thread.detachNewThread {
                cont.resume(with: Result { try prefills.generate(model: model, sha256: sha256, request: request) })
            }
        }
    }

    private func beat(_ lease: Lease, done: SampleCounter, interrupted: StopSignal) async {
        let period = max(1, lease.leaseSeconds / 3)
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(period))
            if Task.isCancelled { return }
            do {
                let r = try await client.heartbeat(lease, samplesDone: done.value)
                if r.cancel { interrupted.request(); return }
            } catch {
                log("job \(lease.jobId): heartbeat failed: \(error)")
            }
        }
    }

    /// Hands the job back (cancelled by the coordinator, or this worker is stopping).
    private func release(_ lease: Lease, as outcome: Outcome) async -> Outcome {
        _ = try? await client.release(lease)
        return outcome
    }
}

/// Samples done in this job (read by the log line).
final class SampleCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}
