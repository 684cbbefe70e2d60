import FleetCore
import Foundation

/// The calls a worker makes (worker token): lease, samples, blobs, heartbeat, per-sample posts,
/// complete/fail/release. Every call retries transport failures with backoff, so a coordinator
/// restart is waited out; every call is safe to repeat (posts are idempotent per sample).
public struct WorkerClient: Sendable {
    public let connection: CoordinatorConnection

    public init(connection: CoordinatorConnection) { self.connection = connection }

    /// A job for one of `request.models`, or nil when none is queued.
    public func lease(_ request: LeaseRequest) async throws(CoordinatorClientError) -> Lease? {
        try await connection.call("POST", "/v1/leases", body: request, as: LeaseResponse.self).lease
    }

    public func samples(job jobId: Int64) async throws(CoordinatorClientError) -> [StoredSample] {
        try await connection.call("GET", "/v1/jobs/\(jobId)/samples", as: SampleList.self).samples
    }

    /// The blob's bytes, checked against its address.
    public func blob(sha256: String) async throws(CoordinatorClientError) -> [UInt8] {
        let path = "/v1/blobs/\(sha256)"
        let bytes = Array(try await connection.send("GET", path, body: nil, contentType: "application/octet-stream"))
        guard ContentHash.sha256Hex(bytes) == sha256 else {
            throw .badResponse(method: "GET", path: path, detail: "blob bytes do not hash to their address")
        }
        return bytes
    }

    public func heartbeat(_ lease: Lease, samplesDone: Int) async throws(CoordinatorClientError) -> HeartbeatResponse {
        try await connection.call("POST", "/v1/jobs/\(lease.jobId)/heartbeat",
                                  body: HeartbeatRequest(token: lease.token, samplesDone: samplesDone),
                                  as: HeartbeatResponse.self)
    }

    /// Posts one sample's prediction; `stored == false` means it was already there.
    public func post(_ result: SampleResult, for lease: Lease) async throws(CoordinatorClientError) -> PredictionAck {
        try await connection.call("POST", "/v1/jobs/\(lease.jobId)/predictions",
                                  body: PredictionPost(token: lease.token, result: result), as: PredictionAck.self)
    }

    public func complete(_ lease: Lease) async throws(CoordinatorClientError) -> JobStateResponse {
        try await connection.call("POST", "/v1/jobs/\(lease.jobId)/complete",
                                  body: CompleteRequest(token: lease.token), as: JobStateResponse.self)
    }

    public func fail(_ lease: Lease, error: String) async throws(CoordinatorClientError) -> JobStateResponse {
        try await connection.call("POST", "/v1/jobs/\(lease.jobId)/fail",
                                  body: FailRequest(token: lease.token, error: error), as: JobStateResponse.self)
    }

    /// Gives the job back unfinished (shutdown); no attempt is counted.
    public func release(_ lease: Lease) async throws(CoordinatorClientError) -> JobStateResponse {
        try await connection.call("POST", "/v1/jobs/\(lease.jobId)/release",
                                  body: CompleteRequest(token: lease.token), as: JobStateResponse.self)
    }
}
