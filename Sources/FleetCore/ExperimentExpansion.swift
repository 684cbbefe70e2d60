import PolicySpec
import TaskSpec

/// A submitted experiment that cannot be expanded; names the field (`spec.budgets[1]`).
public struct ExperimentSpecError: Error, Equatable, CustomStringConvertible, Sendable {
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// An experiment expanded into content-addressed samples and jobs.
public struct ExpandedExperiment: Sendable {
    /// "exp-" + the first 16 hex digits of sha256(canonical spec and sample ids).
    public let experimentId: String
    public let samples: [StoredSample]
    public let jobs: [ExpandedJob]
}

public struct ExpandedJob: Sendable {
    public let key: JobKey
    public let spec: JobSpec
}

/// Expands a sweep into jobs: policies × budgets × (dataset) × shards of samples.
/// Pure and deterministic: the same spec and samples give the same ids and keys.
public enum ExperimentExpansion {
    public static func expand(_ spec: ExperimentSpec,
                              samples submitted: [SampleSpec]) throws(ExperimentSpecError) -> ExpandedExperiment {
        try validateCommon(spec)
        var groups: [(dataset: String, settings: GroupSettings, samples: [StoredSample])] = []
        switch spec.benchmark {
        case .needle:
            guard let sweep = spec.needle else {
                throw ExperimentSpecError(field: "spec.needle", reason: "required for benchmark needle")
            }
            guard spec.longbench == nil else {
                throw ExperimentSpecError(field: "spec.longbench", reason: "not allowed for benchmark needle")
            }
            guard submitted.isEmpty else {
                throw ExperimentSpecError(field: "samples", reason: "needle samples are generated from the grid; send none")
            }
            try validateNeedle(sweep)
            var cells: [StoredSample] = []
            for length in sweep.lengths {
                for depth in sweep.depths {
                    cells.append(try stored(.needleCell(length: length, depth: depth), field: "spec.needle"))
                }
            }
            // The default protocol is spelled as no protocol, so both spellings give one job key.
            var needleSettings = sweep.settings
            if needleSettings.protocolName == NeedleSettings.defaultProtocolName { needleSettings.protocolName = nil }
            let settings = GroupSettings(datasetVersion: "needle-1", promptTemplate: needleSettings.promptTemplate,
                                         applyChatTemplate: needleSettings.protocolName == NeedleProtocol.chat.rawValue, maxLength: nil,
                                         maxNewTokens: needleSettings.maxNewTokens, stop: needleSettings.stop,
                                         needle: needleSettings)
            groups.append((TaskFamily.needleDataset, settings, cells))
        case .longbench:
            guard let sweep = spec.longbench else {
                throw ExperimentSpecError(field: "spec.longbench", reason: "required for benchmark longbench")
            }
            guard spec.needle == nil else {
                throw ExperimentSpecError(field: "spec.needle", reason: "not allowed for benchmark longbench")
            }
            try validateLongBench(sweep)
            var byDataset: [String: [StoredSample]] = [:]
            let known = Set(sweep.datasets.map(\.dataset))
            for (index, sample) in submitted.enumerated() {
                guard sample.benchmark == .longbench, known.contains(sample.dataset) else {
                    throw ExperimentSpecError(field: "samples[\(index)].dataset",
                                              reason: "'\(sample.dataset)' is not a longbench dataset of this experiment")
                }
                try validateFollowUp(sample, index: index, questions: spec.questions)
                byDataset[sample.dataset, default: []].append(try stored(sample, field: "samples[\(index)]"))
            }
            for dataset in sweep.datasets {
                var samples = byDataset[dataset.dataset] ?? []
                if let limit = sweep.limit { samples = Array(samples.prefix(limit)) }
                guard !samples.isEmpty else {
                    throw ExperimentSpecError(field: "samples", reason: "no samples for dataset '\(dataset.dataset)'")
                }
                let settings = GroupSettings(datasetVersion: sweep.datasetVersion,
                                             promptTemplate: dataset.promptTemplate,
                                             applyChatTemplate: dataset.applyChatTemplate,
                                             maxLength: sweep.maxLength, maxNewTokens: dataset.maxNewTokens,
                                             stop: dataset.stop, needle: nil)
                groups.append((dataset.dataset, settings, samples))
            }
        }

        var jobs: [ExpandedJob] = []
        var seenKeys = Set<JobKey>()
        var allSamples: [StoredSample] = []
        var seenSamples = Set<String>()
        for group in groups {
            for sample in group.samples where seenSamples.insert(sample.id).inserted {
                allSamples.append(sample)
            }
            let shards = ShardPlanner.shards(group.samples, targetTokens: spec.shardTokens) {
                $0.sample.estimatedPromptTokens(maxLength: group.settings.maxLength)
            }
            // Shard-major order (jobs lease by id): a worker runs every policy × budget of one
            // shard in turn, so its prefill cache holds that shard's snapshots and each sample is
            // prefilled once; policy-major order cycles the whole grid through the cache.
            for shard in shards {
                for policy in spec.policies.map(\.normalized) {
                    // FullKV runs once, not once per budget: its outputs do not depend on it.
                    for budget in policy.keepsWholeCache ? [JobSpec.wholeCache] : spec.budgets {
                        let job = JobSpec(benchmark: spec.benchmark, modelSha256: spec.modelSha256,
                                          policy: policy, budget: budget, dataset: group.dataset,
                                          datasetVersion: group.settings.datasetVersion,
                                          promptTemplate: group.settings.promptTemplate,
                                          applyChatTemplate: group.settings.applyChatTemplate,
                                          maxLength: group.settings.maxLength,
                                          maxNewTokens: group.settings.maxNewTokens,
                                          stop: group.settings.stop, needle: group.settings.needle,
                                          sampleIds: shard.map(\.id), activations: spec.activations,
                                          question: spec.question, questions: spec.questions)
                        let key = try hashed(job)
                        if seenKeys.insert(key).inserted {
                            jobs.append(ExpandedJob(key: key, spec: job))
                        }
                    }
                }
            }
        }
        let identity = ExperimentIdentity(spec: spec, sampleIds: allSamples.map(\.id))
        let digest: String
        do {
            digest = try ContentHash.sha256OfCanonicalJSON(identity)
        } catch {
            throw ExperimentSpecError(field: "spec", reason: error.description)
        }
        return ExpandedExperiment(experimentId: "exp-" + digest.prefix(16), samples: allSamples, jobs: jobs)
    }

    private struct GroupSettings {
        let datasetVersion: String
        let promptTemplate: String
        let applyChatTemplate: Bool
        let maxLength: Int?
        let maxNewTokens: Int
        let stop: [String]
        let needle: NeedleSettings?
    }

    private struct ExperimentIdentity: Encodable {
        let spec: ExperimentSpec
        let sampleIds: [String]

        private enum CodingKeys: String, CodingKey {
            case spec, sampleIds = "sample_ids"
        }
    }

    /// The first dataset of a LongBench-format sweep that is not a RULER task (nil: all are).
    private static func firstNonRULERDataset(_ spec: ExperimentSpec) -> String? {
        (spec.longbench?.datasets ?? []).map(\.dataset).first { TaskFamily.of(dataset: $0) != .ruler }
    }

    /// A follow-up question (`question_index`) is a RULER record numbered 2…k that names its
    /// lead's prompt; an experiment asking k questions per context takes none numbered above k.
    private static func validateFollowUp(_ sample: SampleSpec, index: Int, questions: Int?) throws(ExperimentSpecError) {
        let field = "samples[\(index)]"
        guard let q = sample.questionIndex else {
            if sample.leadContext != nil || sample.leadInput != nil {
                throw ExperimentSpecError(field: "\(field).question_index", reason: "required with lead_context/lead_input")
            }
            return
        }
        guard q >= 2, sample.leadContext != nil, sample.leadInput != nil else {
            throw ExperimentSpecError(field: "\(field).question_index",
                                      reason: "a follow-up is numbered from 2 and names its lead (lead_context, lead_input), got \(q)")
        }
        guard TaskFamily.of(dataset: sample.dataset) == .ruler else {
            throw ExperimentSpecError(field: "\(field).question_index", reason: "follow-up questions are RULER records, got dataset '\(sample.dataset)'")
        }
        if let k = questions, q > k {
            throw ExperimentSpecError(field: "\(field).question_index", reason: "\(q) exceeds the experiment's questions: \(k)")
        }
    }

    private static func stored(_ sample: SampleSpec, field: String) throws(ExperimentSpecError) -> StoredSample {
        do {
            return StoredSample(id: try sample.id(), sample: sample)
        } catch {
            throw ExperimentSpecError(field: field, reason: error.description)
        }
    }

    private static func hashed(_ job: JobSpec) throws(ExperimentSpecError) -> JobKey {
        do {
            return try job.key()
        } catch {
            throw ExperimentSpecError(field: "spec", reason: error.description)
        }
    }

    private static func validateCommon(_ spec: ExperimentSpec) throws(ExperimentSpecError) {
        guard ContentHash.isSHA256Hex(spec.modelSha256) else {
            throw ExperimentSpecError(field: "spec.model_sha256", reason: "must be 64 lower-case hex digits")
        }
        guard !spec.policies.isEmpty else {
            throw ExperimentSpecError(field: "spec.policies", reason: "at least one policy is required")
        }
        guard !spec.budgets.isEmpty else {
            throw ExperimentSpecError(field: "spec.budgets", reason: "at least one budget is required")
        }
        if let index = spec.budgets.firstIndex(where: { $0 < 1 }) {
            throw ExperimentSpecError(field: "spec.budgets[\(index)]", reason: "must be ≥ 1")
        }
        // Unknown names, presets, poolings and layouts were refused when the spec was decoded.
        // Each (policy, budget) pair is checked by the rule the engine applies, so a job that
        // cannot run is refused here and not on every worker.
        for (index, policy) in spec.policies.enumerated() {
            for (budgetIndex, budget) in spec.budgets.enumerated() {
                do {
                    try policy.normalized.validate(budget: budget)
                } catch {
                    let field = error.parameter == "budget" ? "spec.budgets[\(budgetIndex)]"
                        : "spec.policies[\(index)].\(error.parameter)"
                    throw ExperimentSpecError(field: field, reason: "\(error.reason), got \(error.value)")
                }
            }
        }
        if spec.question == .afterCompression, spec.benchmark != .needle {
            // LongBench templates put instructions and questions on both sides of the context;
            // the needle's and RULER's prompts have one question after one context.
            if let dataset = firstNonRULERDataset(spec) {
                throw ExperimentSpecError(field: "spec.question",
                                          reason: "after-compression is supported for the needle and RULER (ruler_<task>) only, got \(dataset)")
            }
        }
        if let k = spec.questions {
            do { try QuestionReuse.validate(k) } catch {
                throw ExperimentSpecError(field: "spec.questions", reason: "\(error.reason), got \(k)")
            }
            let notRULER = firstNonRULERDataset(spec)
            if spec.benchmark != .longbench || notRULER != nil {
                throw ExperimentSpecError(field: "spec.questions",
                                          reason: "several questions per context are asked of RULER records (ruler_<task>) only, got \(notRULER ?? spec.benchmark.rawValue)")
            }
        }
        guard spec.maxAttempts >= 1 else {
            throw ExperimentSpecError(field: "spec.max_attempts", reason: "must be ≥ 1")
        }
        guard spec.shardTokens >= 1 else {
            throw ExperimentSpecError(field: "spec.shard_tokens", reason: "must be ≥ 1")
        }
    }

    private static func validateNeedle(_ sweep: NeedleSweep) throws(ExperimentSpecError) {
        guard !sweep.lengths.isEmpty else {
            throw ExperimentSpecError(field: "spec.needle.lengths", reason: "at least one length is required")
        }
        if let index = sweep.lengths.firstIndex(where: { $0 < 1 }) {
            throw ExperimentSpecError(field: "spec.needle.lengths[\(index)]", reason: "must be ≥ 1")
        }
        guard !sweep.depths.isEmpty else {
            throw ExperimentSpecError(field: "spec.needle.depths", reason: "at least one depth is required")
        }
        if let index = sweep.depths.firstIndex(where: { !(0...100).contains($0) }) {
            throw ExperimentSpecError(field: "spec.needle.depths[\(index)]", reason: "must lie in 0...100")
        }
        if let name = sweep.settings.protocolName, !NeedleSettings.protocolNames.contains(name) {
            throw ExperimentSpecError(field: "spec.needle.settings.protocol",
                                      reason: "unknown needle protocol '\(name)'; known: \(NeedleSettings.protocolNames.joined(separator: ", "))")
        }
        guard sweep.settings.promptTemplate.contains("{context}") else {
            throw ExperimentSpecError(field: "spec.needle.settings.prompt_template", reason: "must contain {context}")
        }
        if let haystack = sweep.settings.haystackSha256, !ContentHash.isSHA256Hex(haystack) {
            throw ExperimentSpecError(field: "spec.needle.settings.haystack_sha256",
                                      reason: "must be 64 lower-case hex digits")
        }
    }

    private static func validateLongBench(_ sweep: LongBenchSweep) throws(ExperimentSpecError) {
        guard !sweep.datasets.isEmpty else {
            throw ExperimentSpecError(field: "spec.longbench.datasets", reason: "at least one dataset is required")
        }
        guard sweep.maxLength >= 2 else {
            throw ExperimentSpecError(field: "spec.longbench.max_length", reason: "must be ≥ 2")
        }
        if let limit = sweep.limit, limit < 1 {
            throw ExperimentSpecError(field: "spec.longbench.limit", reason: "must be ≥ 1")
        }
        var names = Set<String>()
        for (index, dataset) in sweep.datasets.enumerated() {
            guard names.insert(dataset.dataset).inserted else {
                throw ExperimentSpecError(field: "spec.longbench.datasets[\(index)].dataset",
                                          reason: "'\(dataset.dataset)' appears twice")
            }
            guard dataset.maxNewTokens >= 1 else {
                throw ExperimentSpecError(field: "spec.longbench.datasets[\(index)].max_new_tokens",
                                          reason: "must be ≥ 1")
            }
        }
    }
}
