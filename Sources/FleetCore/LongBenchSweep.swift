/// How one LongBench dataset is prompted and decoded (LongBench `pred.py`): all of it changes
/// outputs and goes into the job key. The submitter fills it from the LongBench config.
public struct LongBenchDatasetProtocol: Codable, Sendable, Hashable {
    public var dataset: String
    public var promptTemplate: String
    public var maxNewTokens: Int
    public var applyChatTemplate: Bool
    /// Extra stop strings besides the model's EOS ids ("\n" for samsum).
    public var stop: [String]

    public init(dataset: String, promptTemplate: String, maxNewTokens: Int,
                applyChatTemplate: Bool, stop: [String] = []) {
        self.dataset = dataset
        self.promptTemplate = promptTemplate
        self.maxNewTokens = maxNewTokens
        self.applyChatTemplate = applyChatTemplate
        self.stop = stop
    }

    private enum CodingKeys: String, CodingKey {
        case dataset, promptTemplate = "prompt_template", maxNewTokens = "max_new_tokens",
            applyChatTemplate = "apply_chat_template", stop
    }
}

/// The LongBench part of an experiment; the samples themselves travel in the submit request.
public struct LongBenchSweep: Codable, Sendable, Hashable {
    public var datasets: [LongBenchDatasetProtocol]
    /// Records per dataset (the first N in file order); nil for all.
    public var limit: Int?
    /// Middle-truncation length in tokens.
    public var maxLength: Int
    /// Identifies the data files (e.g. a hash of the data directory's files).
    public var datasetVersion: String

    public init(datasets: [LongBenchDatasetProtocol], limit: Int? = nil, maxLength: Int,
                datasetVersion: String) {
        self.datasets = datasets
        self.limit = limit
        self.maxLength = maxLength
        self.datasetVersion = datasetVersion
    }

    private enum CodingKeys: String, CodingKey {
        case datasets, limit, maxLength = "max_length", datasetVersion = "dataset_version"
    }
}
