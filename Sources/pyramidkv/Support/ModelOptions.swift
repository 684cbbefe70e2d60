import ArgumentParser
import KVEngine
import Assets

/// `--model PATH`, defaulting to the fetched default model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "GGUF model file (default: $PYRAMIDKV_HOME/models/\(DefaultAssets.modelFileName)).")
    var model: String?

    @Option(name: .long, help: "Threads for the engine kernels and BLAS (default: all cores).")
    var threads: Int?

    func resolvedPath() throws -> String { try model ?? DefaultAssets.requireModel() }

    func load() throws -> LanguageModel {
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be ≥ 1 (got \(threads))") }
            KernelRuntime.setThreads(threads)
        }
        return try LanguageModel(path: try resolvedPath())
    }

    func loadTokenizer() throws -> Tokenizer { try Tokenizer(gguf: GGUFFile(path: try resolvedPath())) }
}
