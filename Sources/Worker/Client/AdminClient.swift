import FleetCore
import Foundation

/// The calls of the submit/status/results CLI (admin token). Lives beside `WorkerClient`
/// because both share the connection and the CLI already depends on this target.
public struct AdminClient: Sendable {
    public let connection: CoordinatorConnection

    public init(connection: CoordinatorConnection) { self.connection = connection }

    public func submit(_ request: SubmitRequest) async throws(CoordinatorClientError) -> SubmitResponse {
        try await connection.call("POST", "/v1/experiments", body: request, as: SubmitResponse.self)
    }

    public func experiments() async throws(CoordinatorClientError) -> [ExperimentStatus] {
        try await connection.call("GET", "/v1/experiments", as: ExperimentList.self).experiments
    }

    public func experiment(_ id: String) async throws(CoordinatorClientError) -> ExperimentStatus {
        try await connection.call("GET", "/v1/experiments/\(id)", as: ExperimentStatus.self)
    }

    public func cancel(_ id: String) async throws(CoordinatorClientError) -> ExperimentActionResponse {
        try await connection.call("POST", "/v1/experiments/\(id)/cancel", as: ExperimentActionResponse.self)
    }

    public func requeue(_ id: String) async throws(CoordinatorClientError) -> ExperimentActionResponse {
        try await connection.call("POST", "/v1/experiments/\(id)/requeue", as: ExperimentActionResponse.self)
    }

    public func results(_ id: String) async throws(CoordinatorClientError) -> ExperimentResults {
        try await connection.call("GET", "/v1/experiments/\(id)/results", as: ExperimentResults.self)
    }

    /// Every sample of the experiment's jobs (`results export`).
    public func samples(experiment id: String) async throws(CoordinatorClientError) -> [StoredSample] {
        try await connection.call("GET", "/v1/experiments/\(id)/samples", as: SampleList.self).samples
    }

    /// Stores one batch of an exported experiment (`results import`).
    public func importResults(_ batch: ResultsExport.Batch) async throws(CoordinatorClientError) -> ResultsExport.ImportResponse {
        try await connection.call("POST", "/v1/imports", body: batch, as: ResultsExport.ImportResponse.self)
    }

    public func workers() async throws(CoordinatorClientError) -> [WorkerInfo] {
        try await connection.call("GET", "/v1/workers", as: WorkerList.self).workers
    }

    public func uploadScores(_ upload: ScoreUpload) async throws(CoordinatorClientError) -> ScoreUploadResponse {
        try await connection.call("POST", "/v1/scores", body: upload, as: ScoreUploadResponse.self)
    }

    /// Uploads `bytes` under their sha256 and returns the address.
    public func putBlob(_ bytes: [UInt8]) async throws(CoordinatorClientError) -> String {
        let address = ContentHash.sha256Hex(bytes)
        _ = try await connection.send("PUT", "/v1/blobs/\(address)", body: Data(bytes),
                                      contentType: "application/octet-stream")
        return address
    }
}
