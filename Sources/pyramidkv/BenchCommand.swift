import ArgumentParser
import BenchCoordinator

/// `pyramidkv bench …`: measurements that are commands, not tests (design §5).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks.",
        subcommands: [BenchEngineCommand.self, BenchCoordinatorCommand.self], defaultSubcommand: BenchEngineCommand.self)
}
