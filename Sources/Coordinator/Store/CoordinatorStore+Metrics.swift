/// Counts for the Prometheus endpoint.
public struct StoreMetrics: Sendable {
    public var jobsByState: [JobState: Int]
    public var predictions: Int
    public var workers: Int
    public var experiments: Int
    /// Writes answered since start-up, and the transactions that carried them (group commit).
    public var writes: Int
    public var writeTransactions: Int
}

extension CoordinatorStore {
    public func metrics() throws(StoreError) -> StoreMetrics {
        var byState: [JobState: Int] = [:]
        for state in JobState.allCases { byState[state] = 0 }
        for row in try read("SELECT state, count(*) AS n FROM jobs GROUP BY state") {
            if let state = row["state"].string.flatMap(JobState.init(rawValue:)) { byState[state] = row["n"].int ?? 0 }
        }
        let predictions = try read("SELECT count(*) AS n FROM predictions").first?["n"].int ?? 0
        let workers = try read("SELECT count(*) AS n FROM workers").first?["n"].int ?? 0
        let experiments = try read("SELECT count(*) AS n FROM experiments").first?["n"].int ?? 0
        return StoreMetrics(jobsByState: byState, predictions: predictions, workers: workers, experiments: experiments,
                            writes: writesCommitted, writeTransactions: writeTransactions)
    }
}
