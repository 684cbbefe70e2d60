import ArgumentParser
import KVEngine
import Assets

/// `--model NAME|PATH`, defaulting to the fetched default model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A named model (\(NamedModels.names.joined(separator: ", "))) or a GGUF file (default: $PYRAMIDKV_HOME/models/\(DefaultAssets.modelFileName)).")
    var model: String?

    @Option(name: .long, help: "Threads for the engine kernels and BLAS (default: all cores).")
    var threads: Int?

    func resolvedPath() throws -> String {
        guard let model else { return try DefaultAssets.requireModel() }
        return try NamedModels.resolve(model)
    }

    func load() throws -> LanguageModel {
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be ≥ 1 (got \(threads))") }
            KernelRuntime.setThreads(threads)
        }
        return try LanguageModel(path: try resolvedPath())
    }

    func loadTokenizer() throws -> Tokenizer { try Tokenizer(gguf: GGUFFile(path: try resolvedPath())) }
}
