import FleetCore

/// What the sample page shows of a prompt the coordinator did not store: the prompt text with
/// the needle marked, and which prompt positions each layer's compressed cache kept.
/// Neither is in the database (workers post predictions, not caches), so a `SampleInspector`
/// recomputes them: the coordinator started with `--inspect-models-dir` runs the same prompt
/// builder and one prefill of the same model (sha256 checked) and policy. Without one the page
/// says so instead of guessing.
public protocol SampleInspector: Sendable {
    func inspect(_ request: SampleInspectionRequest) async throws -> SampleInspection
}

public struct SampleInspectionRequest: Sendable {
    public var job: JobSpec
    public var sample: SampleSpec
    public var sampleId: String
    /// The job's uploaded haystack (`needle.haystack_sha256`), read from the store's blobs.
    public var haystack: String?
}

public struct SampleInspection: Sendable {
    public struct Layer: Sendable {
        public var layer: Int
        /// Tokens the layer was allowed to keep (window included).
        public var budget: Int
        /// Per cache stream (head), the kept prompt positions.
        public var kept: [[Int]]

        public init(layer: Int, budget: Int, kept: [[Int]]) {
            self.layer = layer
            self.budget = budget
            self.kept = kept
        }
    }

    public var promptTokens: Int
    /// The prompt decoded in three parts: before the needle, the needle tokens, after it
    /// (no needle: everything in `before`).
    public var before: String
    public var needle: String
    public var after: String
    /// Half-open token range of the needle in the prompt.
    public var needleSpan: Range<Int>?
    public var layers: [Layer]
    /// How the positions were obtained (engine, threads, layout), shown under the chart.
    public var method: String

    public init(promptTokens: Int, before: String, needle: String, after: String, needleSpan: Range<Int>?,
                layers: [Layer], method: String) {
        self.promptTokens = promptTokens
        self.before = before
        self.needle = needle
        self.after = after
        self.needleSpan = needleSpan
        self.layers = layers
        self.method = method
    }
}
