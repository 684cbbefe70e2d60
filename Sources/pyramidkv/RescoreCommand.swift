import ArgumentParser
import Coordinator
import FleetCore
import Worker

/// `pyramidkv rescore EXPERIMENT`: score stored predictions and upload the scores (no model run).
struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore", abstract: "Score an experiment's stored predictions and store the scores.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "Experiment id.") var experiment: String

    func run() async throws {
        let admin = try client.adminClient()
        let results = try await admin.results(experiment)
        let scores = Rescoring.scores(for: results, scoring: SampleScorer.scores)
        let response = try await admin.uploadScores(ScoreUpload(scores: scores))
        if client.json { return try JSONOutput.print(response) }
        print("\(experiment): \(response.stored) scores stored")
    }
}
