import Foundation

/// The last haystack text fetched from the coordinator, kept so consecutive jobs of a sweep
/// do not download it again. One entry: haystacks are megabytes and sweeps use one.
final class HaystackBlobCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (sha256: String, text: String)?

    /// The text of blob `sha256`, fetched (and hash-checked by the client) when not cached.
    func text(sha256: String, client: WorkerClient) async throws -> String {
        if let cached = lock.withLock({ entry }), cached.sha256 == sha256 { return cached.text }
        let bytes = try await client.blob(sha256: sha256)
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw WorkerError.badBlob(sha256: sha256, reason: "the haystack is not UTF-8 text")
        }
        lock.withLock { entry = (sha256, text) }
        return text
    }
}
