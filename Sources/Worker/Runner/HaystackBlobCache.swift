import Foundation

/// The last haystack text fetched from the coordinator, kept so consecutive jobs of a sweep
/// do not download it again. One entry: haystacks are megabytes and sweeps use one.
final class HaystackBlobCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (sha256: String, text: String)?

    /// The text of blob `sha256`, fetched (and hash-checked by the client) when not cached.
    func text(sha256: String, client: WorkerClient) async throws -> String {
        if let cached = lock.withLock({ entry }), cached.sha256 == sha256 { return cached.text }
        let bytes = try await Self.fetch(sha256: sha256, client: client)
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw WorkerError.badBlob(sha256: sha256, reason: "the haystack is not UTF-8 text")
        }
        lock.withLock { entry = (sha256, text) }
        return text
    }

    /// A 404 is definitive (the job cannot run anywhere), so it becomes a job failure that says
    /// why; other errors stay coordinator errors (retried, or the lease is given up).
    private static func fetch(sha256: String, client: WorkerClient) async throws -> [UInt8] {
        do {
            return try await client.blob(sha256: sha256)
        } catch {
            if error.status == 404 {
                throw WorkerError.badBlob(sha256: sha256, reason: "the coordinator has no such blob")
            }
            throw error
        }
    }
}
