import FleetCore

/// `/ui/workers`: the fleet as `GET /v1/workers` reports it.
enum WorkersPage {
    static func render(_ workers: [WorkerInfo], now: Double, leaseSeconds: Double) -> String {
        var rows = ""
        for worker in workers {
            let age = max(0, now - worker.lastSeen)
            let fresh = age <= leaseSeconds
            let hardware = [worker.hardware.cpu, worker.hardware.gpu.map { "gpu \($0)" }, "\(worker.hardware.threads) threads",
                            worker.hardware.dtype, "engine \(worker.hardware.engineVersion)"].compactMap { $0 }
            let job = worker.currentJobId.map { "job \($0)" } ?? "idle"
            rows += """
                <tr class="worker"><td class="mono">\(HTML.escape(worker.id))</td>\
                <td>\(HTML.escape(host(of: worker.id)))</td>\
                <td>\(HTML.escape(hardware.joined(separator: " · ")))</td>\
                <td>\(HTML.escape(job))</td>\
                <td><span class="pill \(fresh ? "good" : "warn")">\(HTML.escape(UIFormat.duration(age))) ago</span>\
                <span class="ci">\(HTML.escape(UIFormat.timestamp(worker.lastSeen)))</span></td>\
                <td class="num">\(worker.jobsDone)</td></tr>
                """
        }
        let table = workers.isEmpty
            ? "<div class=\"notice\">No worker has asked for a job yet.</div>"
            : """
              <table class="data" id="workers"><thead><tr><th>worker</th><th>host</th><th>hardware</th>\
              <th>current job</th><th>last heartbeat</th><th class="num">jobs done</th></tr></thead><tbody>
              \(rows)
              </tbody></table>
              """
        return UIPage(title: "Workers", section: .workers, body: """
            <h1>Workers</h1>
            <p class="sub">Every worker that has leased a job. A heartbeat older than the lease \
            (\(Int(leaseSeconds)) s) means its job has gone (or will go) back to the queue.</p>
            \(table)
            """).render()
    }

    /// The coordinator records no host: a worker's default id is `hostname-pid`, so the host is
    /// the id without a trailing `-digits`; an id set by hand is shown whole.
    static func host(of id: String) -> String {
        guard let dash = id.lastIndex(of: "-"), dash != id.startIndex else { return id }
        let suffix = id[id.index(after: dash)...]
        return !suffix.isEmpty && suffix.allSatisfy(\.isNumber) ? String(id[..<dash]) : id
    }
}
