import Foundation

enum FixtureLoader {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "test fixture \(name) not found in the KVEvalTests bundle" }
    }

    static func url(_ name: String) throws -> URL {
        guard let base = Bundle.module.resourceURL else { throw Missing(name: name) }
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(name: name) }
        return url
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
    }
}
