import TaskSpec
import Coordinator
import FleetCore
import Foundation
import KVEngine
import KVEval
import PolicySpec
import Worker

/// The sample page's prompt and per-layer kept positions, recomputed in the coordinator process
/// (`coordinator --inspect-models-dir`): the job's model (found by sha256, as a worker finds
/// it), the needle prompt built as the worker builds it, and one prefill with the job's policy,
/// as `kv-inspect` runs it. Needle samples only: LongBench prompts are shown as stored.
/// One inspection at a time, off Swift's cooperative threads (a prefill holds a core for
/// a while); the last few are kept.
final class EngineSampleInspector: SampleInspector, @unchecked Sendable {
    private let models: ModelStore
    private let haystackDirectory: String
    private let queue = DispatchQueue(label: "pyramidkv.sample-inspector")
    // Guarded by `queue`.
    private var recent: [(key: String, value: SampleInspection)] = []
    private static let keep = 8

    init(modelsDirectory: String, haystackDirectory: String) {
        models = ModelStore(directories: [modelsDirectory])
        self.haystackDirectory = haystackDirectory
    }

    func inspect(_ request: SampleInspectionRequest) async throws -> SampleInspection {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.cachedInspection(request) })
            }
        }
    }

    private func cachedInspection(_ request: SampleInspectionRequest) throws -> SampleInspection {
        let key = "\(request.job.modelSha256)/\(request.job.policy)/\(request.job.budget)/\(request.sampleId)"
        if let hit = recent.first(where: { $0.key == key }) { return hit.value }
        let inspection = try compute(request)
        recent.insert((key, inspection), at: 0)
        if recent.count > Self.keep { recent.removeLast() }
        return inspection
    }

    private func compute(_ request: SampleInspectionRequest) throws -> SampleInspection {
        let sample = request.sample
        guard sample.benchmark == .needle else { throw InspectionError.notNeedle(dataset: sample.dataset) }
        let model = try models.model(sha256: request.job.modelSha256)
        // The worker's own recipe (SamplePrompter): prompt, protocol, question timing, policy.
        let prompter = try SamplePrompter(model: model, spec: request.job, haystackDirectory: haystackDirectory,
                                          haystackBlob: request.haystack.map { (request.job.needle?.haystackSha256 ?? "", $0) })
        let stored = StoredSample(id: request.sampleId, sample: sample)
        let prompt = try prompter.needlePrompt(for: stored)
        let generation = try prompter.request(for: stored)
        let policy = prompter.policy
        let layout = prompter.layout
        let session = InferenceSession(model: model, layout: layout)
        let (_, selections) = try KVCompression.prefillAndCompress(session: session, ids: generation.compressedIDs,
                                                                   policy: try policy.flatMap(KVPolicies.make))
        let layers = session.cache.layers.enumerated().map { index, streams in
            SampleInspection.Layer(layer: index, budget: selections.isEmpty ? prompt.ids.count : selections[index].budget,
                                   kept: streams.map { $0.positions.map(Int.init) })
        }
        let span = prompt.needleSpan.count == 2 ? prompt.needleSpan[0]..<prompt.needleSpan[1] : nil
        let ids = prompt.ids
        let cut = span ?? ids.count..<ids.count
        return SampleInspection(
            promptTokens: ids.count,
            before: model.tokenizer.decode(Array(ids[..<cut.lowerBound]), skipSpecial: false),
            needle: model.tokenizer.decode(Array(ids[cut]), skipSpecial: false),
            after: model.tokenizer.decode(Array(ids[cut.upperBound...]), skipSpecial: false),
            needleSpan: span, layers: layers,
            method: Self.method(model: request.job.modelSha256, policy: policy, layout: layout,
                                streams: session.cache.layers.first?.count ?? 0))
    }

    static func method(model: String, policy: BudgetedPolicy?, layout: CacheLayout, streams: Int) -> String {
        let compression = policy.map { "\($0.name.rawValue) budget \($0.budget) window \($0.effectiveWindow)" }
            ?? "no compression (fullkv)"
        return "Recomputed by the coordinator with the worker's own prompt recipe (SamplePrompter), one prefill of model "
            + "\(model.prefix(12)) with \(compression), \(layout.rawValue) layout (\(streams) streams per layer), "
            + "as `pyramidkv kv-inspect` runs it."
    }

    enum InspectionError: Error, CustomStringConvertible {
        case notNeedle(dataset: String)

        var description: String {
            switch self {
            case .notNeedle(let dataset): "kept positions are recomputed for needle samples only (this is \(dataset))"
            }
        }
    }
}
