import ArgumentParser
import FleetCore

/// `pyramidkv cancel EXPERIMENT`.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel an experiment's jobs (leased ones stop at their next heartbeat).")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String

    func run() async throws {
        let response = try await client.adminClient().cancel(experiment)
        if client.json { return try JSONOutput.print(response) }
        print("\(response.experiment): \(response.jobsChanged) jobs cancelled or asked to stop")
    }
}

/// `pyramidkv requeue EXPERIMENT`.
struct RequeueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue", abstract: "Put an experiment's dead and cancelled jobs back in the queue.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String

    func run() async throws {
        let response = try await client.adminClient().requeue(experiment)
        if client.json { return try JSONOutput.print(response) }
        print("\(response.experiment): \(response.jobsChanged) jobs queued again")
    }
}

/// `pyramidkv workers`.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers", abstract: "List workers with hardware class and current job.")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let workers = try await client.adminClient().workers()
        if client.json { return try JSONOutput.print(WorkerList(workers: workers)) }
        if workers.isEmpty { print("no workers yet") }
        for worker in workers {
            let hardware = worker.hardware
            let job = worker.currentJobId.map { "job \($0)" } ?? "idle"
            print("\(worker.id): \(hardware.cpu)\(hardware.gpu.map { " + \($0)" } ?? ""), \(hardware.threads) threads, "
                  + "\(hardware.dtype), engine \(hardware.engineVersion); \(worker.jobsDone) jobs done; \(job)")
        }
    }
}
