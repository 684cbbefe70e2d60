import Foundation
import KVEngine
import Testing
import Assets

/// Fixture files committed under Tests/KVEngineTests/Fixtures.
enum Fixtures {
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
                               "fixture \(name) missing")
        return try Data(contentsOf: url)
    }

    static func json(_ name: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: try data(name)) as? [String: Any])
    }
}

/// The real default model, loaded once for all tests (`make test` fetches it first).
enum TestModel {
    static let loaded: Result<LanguageModel, Error> = Result { try LanguageModel(path: DefaultAssets.modelPath) }

    static func get() throws -> LanguageModel {
        switch loaded {
        case let .success(m): return m
        case let .failure(e): throw e
        }
    }
}

extension Array {
    /// Base addresses of each inner array, valid inside `body`.
    func withUnsafeBufferPointers<E, R>(_ body: ([UnsafePointer<E>]) -> R) -> R where Element == [E] {
        func go(_ i: Int, _ acc: [UnsafePointer<E>]) -> R {
            if i == count { return body(acc) }
            return self[i].withUnsafeBufferPointer { go(i + 1, acc + [$0.baseAddress!]) }
        }
        return go(0, [])
    }
}
