import FleetCore

/// The one read the pages need beyond the JSON API's: every experiment's spec, for the list's
/// benchmark, protocol, model and policies × budgets columns.
extension CoordinatorStore {
    public func experimentSpecs() throws(StoreError) -> [String: ExperimentSpec] {
        var specs: [String: ExperimentSpec] = [:]
        for row in try read("SELECT id, spec_json FROM experiments") {
            let id = row["id"].string ?? ""
            specs[id] = try decode(ExperimentSpec.self, row["spec_json"].string, table: "experiments", id: id)
        }
        return specs
    }

    /// The store's clock, for "seconds since the last heartbeat".
    nonisolated var now: Double { clock.now() }
}
