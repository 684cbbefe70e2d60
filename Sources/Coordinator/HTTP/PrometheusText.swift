/// Renders the coordinator's counters in the Prometheus text exposition format.
enum PrometheusText {
    static func render(store: StoreMetrics, requests: [(key: RequestMetrics.Key, count: Int, seconds: Double)],
                       connections: Int) -> String {
        var lines: [String] = []
        lines.append("# HELP pyramidkv_jobs Jobs by state.")
        lines.append("# TYPE pyramidkv_jobs gauge")
        for state in JobState.allCases {
            lines.append("pyramidkv_jobs{state=\"\(state.rawValue)\"} \(store.jobsByState[state] ?? 0)")
        }
        lines.append("# HELP pyramidkv_predictions_total Stored per-sample predictions.")
        lines.append("# TYPE pyramidkv_predictions_total counter")
        lines.append("pyramidkv_predictions_total \(store.predictions)")
        lines.append("# HELP pyramidkv_workers Workers that ever leased a job.")
        lines.append("# TYPE pyramidkv_workers gauge")
        lines.append("pyramidkv_workers \(store.workers)")
        lines.append("# HELP pyramidkv_experiments Submitted experiments.")
        lines.append("# TYPE pyramidkv_experiments gauge")
        lines.append("pyramidkv_experiments \(store.experiments)")
        lines.append("# HELP pyramidkv_store_writes_total Database writes run since start-up.")
        lines.append("# TYPE pyramidkv_store_writes_total counter")
        lines.append("pyramidkv_store_writes_total \(store.writes)")
        lines.append("# HELP pyramidkv_store_write_transactions_total Transactions that carried them (writes share one under load).")
        lines.append("# TYPE pyramidkv_store_write_transactions_total counter")
        lines.append("pyramidkv_store_write_transactions_total \(store.writeTransactions)")
        lines.append("# HELP pyramidkv_http_requests_total HTTP requests by route and status.")
        lines.append("# TYPE pyramidkv_http_requests_total counter")
        for entry in requests {
            lines.append("pyramidkv_http_requests_total{route=\"\(entry.key.route)\",status=\"\(entry.key.status)\"} \(entry.count)")
        }
        lines.append("# HELP pyramidkv_http_request_seconds_total Time spent answering, by route and status.")
        lines.append("# TYPE pyramidkv_http_request_seconds_total counter")
        for entry in requests {
            lines.append("pyramidkv_http_request_seconds_total{route=\"\(entry.key.route)\",status=\"\(entry.key.status)\"} \(entry.seconds)")
        }
        lines.append("# HELP pyramidkv_http_connections_accepted_total TCP connections accepted (clients keep theirs alive).")
        lines.append("# TYPE pyramidkv_http_connections_accepted_total counter")
        lines.append("pyramidkv_http_connections_accepted_total \(connections)")
        return lines.joined(separator: "\n") + "\n"
    }
}
