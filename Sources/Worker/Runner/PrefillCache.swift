import Foundation
import KVEngine

/// The worker's recent prefills (least recently used evicted first, up to `capacityBytes`):
/// a sweep runs the same samples under every policy × budget, and a snapshot of one prefill
/// serves them all (`PrefillSnapshot`), so only the first job on a sample pays for its prefill.
final class PrefillCache: @unchecked Sendable {
    let capacityBytes: Int
    private let lock = NSLock()
    /// Oldest first.
    private var entries: [(model: String, snapshot: PrefillSnapshot)] = []
    private var heldBytes = 0

    init(capacityBytes: Int) { self.capacityBytes = max(0, capacityBytes) }

    /// A snapshot of `request`'s prompt under `model` that serves its policy, marked as used.
    func lookup(model: String, request: GenerationRequest) -> PrefillSnapshot? {
        lock.withLock {
            guard let index = entries.lastIndex(where: {
                $0.model == model && $0.snapshot.promptIDs == request.compressedIDs && ((try? $0.snapshot.serves(request.policy)) ?? false)
            }) else { return nil }
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.snapshot
        }
    }

    /// Keeps `snapshot`, evicting the least recently used until it fits; one larger than the
    /// whole capacity is not kept.
    func insert(model: String, snapshot: PrefillSnapshot) {
        lock.withLock {
            guard snapshot.bytes <= capacityBytes else { return }
            while heldBytes + snapshot.bytes > capacityBytes, !entries.isEmpty {
                heldBytes -= entries.removeFirst().snapshot.bytes
            }
            entries.append((model, snapshot))
            heldBytes += snapshot.bytes
        }
    }

    var bytes: Int { lock.withLock { heldBytes } }
    var count: Int { lock.withLock { entries.count } }

    /// Runs `request`, from a cached prefill when one serves it, else prefilling once into the
    /// cache (evidence for the default window and H2O's column sums, so the sweep's other
    /// policies can share it). Returns the result and whether the prefill was shared.
    func generate(model: LanguageModel, sha256: String, request: GenerationRequest) throws -> (GenerationResult, shared: Bool) {
        let generator = Generator(model: model)
        // A prompt whose whole cache would not fit runs the usual way (one layer uncompressed at a time).
        let c = model.config
        let estimate = request.compressedIDs.count * c.layers * 2 * c.kvDim * MemoryLayout<Float>.size
        guard estimate <= capacityBytes else { return (try generator.generate(request), false) }
        if let snapshot = lookup(model: sha256, request: request) {
            return (try generator.generate(request, from: snapshot), true)
        }
        let started = DispatchTime.now()
        let snapshot = try KVCompression.snapshot(model: model, ids: request.compressedIDs,
                                                  window: try PrefillSnapshot.evidenceWindow(for: request.policy),
                                                  columnSums: true, queryStatistics: true)
        let prefillMs = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        insert(model: sha256, snapshot: snapshot)
        var result = try generator.generate(request, from: snapshot)
        result.prefillMs += prefillMs
        return (result, false)
    }
}
