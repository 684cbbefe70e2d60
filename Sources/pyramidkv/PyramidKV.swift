import ArgumentParser

@main
struct PyramidKV: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pyramidkv",
        abstract: "Measure how well KV-cache compression keeps a model's long-context ability.",
        subcommands: [
            // Engine
            ModelsCommand.self, TokenizeCommand.self, GenerateCommand.self, KVInspectCommand.self, BenchCommand.self,
            // Eval
            ScoreCommand.self, NeedleCommand.self, LongBenchCommand.self, RulerCommand.self,
            // Fleet
            CoordinatorCommand.self, SubmitCommand.self, StatusCommand.self, ResultsCommand.self,
            CancelCommand.self, RequeueCommand.self, WorkersCommand.self, RescoreCommand.self, WorkerCommand.self, DemoCommand.self,
            ReproduceCommand.self,
        ]
    )
}
