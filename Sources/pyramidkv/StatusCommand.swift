import ArgumentParser
import Coordinator
import FleetCore
import Foundation

/// `pyramidkv status [EXPERIMENT]`: jobs by state, samples done/total, tokens/s, ETA, workers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show progress of one experiment, or of all.")

    @OptionGroup var client: ClientOptions

    @Argument(help: "Experiment id (all experiments when omitted).")
    var experiment: String?

    func run() async throws {
        let admin = try client.adminClient()
        if let experiment {
            let status = try await admin.experiment(experiment)
            if client.json { return try JSONOutput.print(status) }
            print(Self.describe(status))
            // Workers post scores with their predictions, so the table grows while jobs run.
            if status.samples.done > 0, let table = try? ResultsTable.build(from: await admin.results(experiment)) {
                print(Self.runningScores(table))
            }
        } else {
            let all = try await admin.experiments()
            if client.json { return try JSONOutput.print(ExperimentList(experiments: all)) }
            if all.isEmpty { print("no experiments") }
            for status in all { print(Self.describe(status)) }
        }
        if !client.json {
            let workers = try await admin.workers()
            let now = Date().timeIntervalSince1970
            let active = workers.filter { now - $0.lastSeen < 120 }
            print("workers: \(active.count) active of \(workers.count) seen, "
                  + "\(workers.filter { $0.currentJobId != nil }.count) holding a job")
        }
    }

    static func describe(_ status: ExperimentStatus) -> String {
        let jobs = status.jobs
        var line = "\(status.experiment) [\(status.benchmark.rawValue)\(status.cancelled ? ", cancelled" : "")] "
            + "jobs: \(jobs.queued) queued, \(jobs.leased) leased, \(jobs.done) done, \(jobs.dead) dead, "
            + "\(jobs.cancelled) cancelled; samples \(status.samples.done)/\(status.samples.total)"
        if let rate = status.tokensPerSecond { line += String(format: "; %.1f tok/s", rate) }
        if let eta = status.etaSeconds, status.samples.done < status.samples.total {
            line += "; ETA \(Self.duration(eta))"
        }
        return line
    }

    /// "running scores (needle (chat protocol)): fullkv 81.00 ± 9.50 (n 9); …"
    static func runningScores(_ table: ResultsTable) -> String {
        let rows = table.rows.map { row in
            ResultsTable.label(policy: row.policy, budget: row.budget) + " " + (row.average.map {
                String(format: "%.2f ± %.2f (n %d)", $0.score, $0.plusMinus, $0.n)
            } ?? "–")
        }
        return "running scores (\(table.title)): " + rows.joined(separator: "; ")
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(total % 3600 / 60)m" : "\(total / 60)m\(total % 60)s"
    }
}
