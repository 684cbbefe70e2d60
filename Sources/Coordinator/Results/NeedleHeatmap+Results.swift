import FleetCore
import KVEval
import PolicySpec

extension NeedleHeatmap {
    /// The needle grid of one policy × budget from an experiment's stored results: per
    /// (length, depth) cell the mean primary score (the needle score of the table).
    public static func build(from results: ExperimentResults, policy: PolicyConfig.Name,
                             budget: Int) throws(ResultsError) -> NeedleHeatmap {
        let jobs = results.jobs.filter {
            $0.spec.policy.name == policy && $0.spec.budgetsAnswered(in: results.spec.budgets).contains(budget)
        }
        let predictions = jobs.flatMap(\.predictions)
        guard !predictions.isEmpty else {
            throw .noPredictions(experiment: results.experiment, filter: "policy \(policy.rawValue), budget \(budget)")
        }
        let unscored = predictions.filter { $0.score == nil }.count
        guard unscored < predictions.count else {
            throw .scoresNotAvailable(experiment: results.experiment, unscored: unscored)
        }
        let scores = predictions.compactMap { prediction -> NeedleScore? in
            guard let length = prediction.sample.length, let depth = prediction.sample.depth,
                  let score = prediction.score else { return nil }
            return NeedleScore(length: length, depth: depth, score: score)
        }
        let protocolName = results.spec.needle?.settings.protocolLabel ?? NeedleSettings.defaultProtocolName
        // A whole-cache job (FullKV) answers every budget: its title names no budget.
        let wholeCache = jobs.allSatisfy { $0.spec.rowBudget == nil }
        let subject = wholeCache ? policy.rawValue : "\(policy.rawValue) @ \(budget)"
        return NeedleHeatmap(title: "\(subject), \(protocolName) protocol", scores: scores,
                             unscored: unscored)
    }
}
