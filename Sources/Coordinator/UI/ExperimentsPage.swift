import FleetCore

/// `/ui/experiments`: every experiment, newest first, with its progress (the JSON API's
/// `GET /v1/experiments`) and what it sweeps (its spec).
enum ExperimentsPage {
    static func render(_ statuses: [ExperimentStatus], specs: [String: ExperimentSpec]) -> String {
        let newestFirst = statuses.sorted { ($0.createdAt, $0.experiment) > ($1.createdAt, $1.experiment) }
        var rows = ""
        for status in newestFirst {
            let spec = specs[status.experiment]
            let done = status.samples.done, total = status.samples.total
            let percent = total > 0 ? min(100, 100 * Double(done) / Double(total)) : 0
            let failures = status.jobs.dead
            let state: String
            if status.cancelled {
                state = "<span class=\"pill warn\">cancelled</span>"
            } else if total > 0 && done >= total && status.jobs.queued + status.jobs.leased == 0 {
                state = "<span class=\"pill good\">done</span>"
            } else {
                state = "<span class=\"pill\">\(status.jobs.leased) running · \(status.jobs.queued) queued</span>"
            }
            rows += """
                <tr class="experiment" data-experiment="\(HTML.escape(status.experiment))">\
                <td>\(HTML.link("/ui/experiments/\(HTML.urlComponent(status.experiment))", status.experiment))\
                <span class="ci">\(HTML.escape(UIFormat.timestamp(status.createdAt)))</span></td>\
                <td>\(HTML.escape(status.benchmark.rawValue))</td>\
                <td>\(HTML.escape(spec.map(Self.protocolName) ?? "—"))</td>\
                <td class="mono" title="\(HTML.escape(spec?.modelSha256 ?? ""))">\(HTML.escape(UIFormat.short(spec?.modelSha256 ?? "—")))</td>\
                <td>\(HTML.escape(spec.map(Self.sweep) ?? "—"))</td>\
                <td><span class="progress\(failures > 0 ? " dead" : "")"><span style="width:\(UIFormat.fixed(percent, 1))%"></span></span> \
                <span class="samples">\(done)/\(total)</span> \(state)</td>\
                <td class="num">\(HTML.escape(UIFormat.duration(status.etaSeconds)))</td>\
                <td class="num failures">\(failures > 0 ? "<span class=\"pill bad\">\(failures) dead</span>" : "0")</td>\
                </tr>
                """
        }
        let table = newestFirst.isEmpty
            ? "<div class=\"notice\">No experiments yet: <code>pyramidkv submit needle …</code> creates one.</div>"
            : """
              <table class="data" id="experiments"><thead><tr><th>experiment</th><th>benchmark</th><th>protocol</th>\
              <th>model</th><th>policies × budgets</th><th>samples done / total</th><th class="num">ETA</th>\
              <th class="num">failures</th></tr></thead><tbody>
              \(rows)
              </tbody></table>
              """
        return UIPage(title: "Experiments", section: .experiments, body: """
            <h1>Experiments</h1>
            <p class="sub">Newest first. Failures are dead jobs (out of attempts); the ETA follows the last \
            \(Int(CoordinatorStore.rateWindowSeconds / 60)) minutes' sample rate.</p>
            \(table)
            """).render()
    }

    /// The needle protocol, or the LongBench datasets.
    static func protocolName(_ spec: ExperimentSpec) -> String {
        switch spec.benchmark {
        case .needle: spec.needle?.settings.protocolLabel ?? NeedleSettings.defaultProtocolName
        case .longbench: ResultsTable.title(of: spec)
        }
    }

    /// "fullkv, snapkv, pyramidkv × 64, 128".
    static func sweep(_ spec: ExperimentSpec) -> String {
        spec.policies.map(ResultsTable.rowLabel).joined(separator: ", ") + " × "
            + spec.budgets.map(String.init).joined(separator: ", ")
    }
}
