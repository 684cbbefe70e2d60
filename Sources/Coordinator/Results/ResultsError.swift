/// Why a results view cannot be built yet.
public enum ResultsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Predictions exist but are not scored: scoring is a separate step (`pyramidkv rescore`)
    /// that needs the KVEval metrics.
    case scoresNotAvailable(experiment: String, unscored: Int)
    case noPredictions(experiment: String, filter: String)
    /// No scorer for this benchmark/dataset is part of this build yet (KVEval metrics).
    case scorerNotAvailable(benchmark: String, dataset: String)
    /// The SVG heatmap renderer is not part of this build yet.
    case rendererNotAvailable(format: String)

    public var description: String {
        switch self {
        case .scoresNotAvailable(let experiment, let unscored):
            "\(experiment): \(unscored) predictions have no score yet; run `pyramidkv rescore \(experiment)` "
                + "(scoring needs the KVEval metrics, which are not yet available in this build)"
        case .noPredictions(let experiment, let filter):
            "\(experiment): no predictions for \(filter)"
        case .scorerNotAvailable(let benchmark, let dataset):
            "no scorer for \(benchmark) dataset '\(dataset)' in this build yet (the KVEval metrics are not yet available)"
        case .rendererNotAvailable(let format):
            "\(format) rendering is not yet available in this build; use --format json or the terminal view"
        }
    }
}
