/// Why a results view cannot be built.
public enum ResultsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Predictions exist but none carries a score (they came from a worker that did not score,
    /// or their metric failed); `pyramidkv rescore` scores stored predictions.
    case scoresNotAvailable(experiment: String, unscored: Int)
    case noPredictions(experiment: String, filter: String)
    /// `results compare --baseline` named no policy@budget of the experiment.
    case unknownBaseline(experiment: String, baseline: String, available: [String])

    public var description: String {
        switch self {
        case .scoresNotAvailable(let experiment, let unscored):
            "\(experiment): none of its \(unscored) predictions has a score; run `pyramidkv rescore \(experiment)`"
        case .noPredictions(let experiment, let filter):
            "\(experiment): no predictions for \(filter)"
        case .unknownBaseline(let experiment, let baseline, let available):
            "\(experiment): baseline '\(baseline)' is not one of its rows (\(available.joined(separator: ", ")))"
        }
    }
}
