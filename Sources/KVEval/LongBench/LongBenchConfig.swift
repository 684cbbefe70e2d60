import Foundation

/// LongBench v1's prompts, output lengths, metrics and categories, read from the bundled
/// `Resources/longbench-config.json` (copied from THUDM/LongBench `config/`; see its `_source`).
public struct LongBenchConfig: Sendable, Equatable {
    public var datasets: [String]
    public var longBenchEDatasets: [String]
    public var paper16: [String]
    public var prompt: [String: String]
    public var maxNewTokens: [String: Int]
    public var metric: [String: LongBenchMetric]
    public var category: [String: [String]]
    public var language: [String: String]
    public var firstLineOnly: Set<String>
    public var noChatTemplate: Set<String>
    public var model2maxlenOfficial: [String: Int]
    public var model2maxlenKVCacheFactory: [String: Int]

    public enum LoadError: Error, CustomStringConvertible, Equatable, Sendable {
        case resourceMissing(String)
        case malformed(file: String, field: String, problem: String)
        public var description: String {
            switch self {
            case .resourceMissing(let name): return "bundled resource \(name) not found"
            case let .malformed(file, field, problem): return "\(file): field \"\(field)\": \(problem)"
            }
        }
    }

    /// The bundled config.
    public static func bundled() throws(LoadError) -> LongBenchConfig {
        guard let url = Bundle.module.url(forResource: "longbench-config", withExtension: "json",
                                          subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "longbench-config", withExtension: "json") else {
            throw .resourceMissing("Resources/longbench-config.json")
        }
        return try load(path: url.path)
    }

    public static func load(path: String) throws(LoadError) -> LongBenchConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw .resourceMissing(path) }
        let root: [String: Any]
        do {
            guard let r = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw LoadError.malformed(file: path, field: "", problem: "top level is not an object")
            }
            root = r
        } catch let e as LoadError { throw e } catch {
            throw .malformed(file: path, field: "", problem: "invalid JSON: \(error.localizedDescription)")
        }
        func field<T>(_ key: String, _ type: T.Type) throws(LoadError) -> T {
            guard let v = root[key] as? T else { throw .malformed(file: path, field: key, problem: "missing or not \(T.self)") }
            return v
        }
        func intMap(_ key: String) throws(LoadError) -> [String: Int] {
            var out: [String: Int] = [:]
            for (k, v) in try field(key, [String: Any].self) where !k.hasPrefix("_") {
                guard let n = v as? Int else { throw .malformed(file: path, field: "\(key).\(k)", problem: "not an integer: \(v)") }
                out[k] = n
            }
            return out
        }
        var metric: [String: LongBenchMetric] = [:]
        for (k, v) in try field("dataset2metric", [String: String].self) {
            guard let m = LongBenchMetric(rawValue: v) else {
                throw .malformed(file: path, field: "dataset2metric.\(k)", problem: "unknown metric \(v)")
            }
            metric[k] = m
        }
        return LongBenchConfig(
            datasets: try field("datasets_v1", [String].self),
            longBenchEDatasets: try field("datasets_longbench_e", [String].self),
            paper16: try field("datasets_pyramidkv_paper_16", [String].self),
            prompt: try field("dataset2prompt", [String: String].self),
            maxNewTokens: try intMap("dataset2maxlen"),
            metric: metric,
            category: try field("category", [String: [String]].self),
            language: try field("language", [String: String].self),
            firstLineOnly: Set(try field("first_line_only_datasets", [String].self)),
            noChatTemplate: Set(try field("no_chat_template_datasets", [String].self)),
            model2maxlenOfficial: try intMap("model2maxlen_official"),
            model2maxlenKVCacheFactory: try intMap("model2maxlen_kvcache_factory"))
    }
}
