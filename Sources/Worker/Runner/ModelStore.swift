import Assets
import FleetCore
import Foundation
import KVEngine

/// Models this worker can load, found by the sha256 a job names. A model is loaded once and
/// kept while jobs use it; files are hashed once per process. With `fetchNamed`, a job naming
/// a model the project names (NamedModels) that no directory holds fetches it first.
public final class ModelStore: @unchecked Sendable {
    public let directories: [String]
    public let fetchNamed: Bool
    private let lock = NSLock()                     // guards `loaded`
    private let hashLock = NSLock()                 // guards `hashes`
    private var hashes: [String: String] = [:]      // path → sha256
    private var loaded: (sha: String, model: LanguageModel)?

    public init(directories: [String], fetchNamed: Bool = false) {
        // Named models are fetched into the default models directory: search it too.
        let fetched = DefaultAssets.home + "/models"
        self.directories = fetchNamed && !directories.contains(fetched) ? directories + [fetched] : directories
        self.fetchNamed = fetchNamed
    }

    /// The sha256 values this worker can run jobs for: the files it holds, and the named models
    /// it would fetch.
    public func offered() -> [String] {
        var shas = Set(available().keys)
        if fetchNamed { shas.formUnion(NamedModels.all.map(\.sha256)) }
        return shas.sorted()
    }

    /// sha256 of every .gguf file in the model directories (for the lease request).
    public func available() -> [String: String] {
        var out: [String: String] = [:]
        for dir in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for name in names where name.hasSuffix(".gguf") {
                let path = (dir as NSString).appendingPathComponent(name)
                if let sha = try? hash(path) { out[sha] = path }
            }
        }
        return out
    }

    /// The model with this sha256, loading it if needed.
    public func model(sha256: String) throws -> LanguageModel {
        lock.lock(); defer { lock.unlock() }
        if let loaded, loaded.sha == sha256 { return loaded.model }
        var path = available()[sha256]
        if path == nil, fetchNamed, let named = NamedModels.withSHA256(sha256) {
            try NamedModels.fetch([named.name])
            path = available()[sha256]
        }
        guard let path else { throw WorkerError.modelNotFound(sha256: sha256, searched: directories) }
        // (`available()` takes only `hashLock`, so calling it under `lock` cannot deadlock.)
        loaded = nil  // release the previous model before loading the next
        let model = try LanguageModel(path: path)
        loaded = (sha256, model)
        return model
    }

    func hash(_ path: String) throws -> String {
        if let h = hashLock.withLock({ hashes[path] }) { return h }
        let hex = try Self.fileSHA256(path)
        hashLock.withLock { hashes[path] = hex }
        return hex
    }

    /// Lower-case hex sha256 of a file.
    public static func fileSHA256(_ path: String) throws(ContentHashError) -> String {
        try ContentHash.sha256Hex(fileAt: path)
    }
}
