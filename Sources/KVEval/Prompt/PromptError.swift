/// Why a prompt could not be built.
public enum PromptError: Error, Equatable, CustomStringConvertible, Sendable {
    case unknownDataset(String)
    case templateField(dataset: String, field: String)
    case badTemplate(dataset: String, template: String)
    case invalidMaxLength(Int)
    case haystackEmpty(directory: String)
    case haystackUnreadable(path: String, reason: String)
    case invalidCell(length: Int, depth: Int, reason: String)
    case haystackTooSmall(directory: String, paragraphs: Int, needed: Int)
    case writeFailed(path: String, reason: String)
    case needleTemplateWithoutContext(template: String)

    public var description: String {
        switch self {
        case .unknownDataset(let d): return "no LongBench prompt template for dataset \(d.debugDescription)"
        case let .templateField(d, f): return "prompt template of \(d) uses {\(f)}, which records do not have"
        case let .badTemplate(d, t): return "prompt template of \(d) is not a valid Python format string: \(t.debugDescription)"
        case .invalidMaxLength(let m): return "--max-length must be at least 2, got \(m)"
        case .haystackEmpty(let dir): return "haystack directory \(dir) has no .txt files"
        case let .haystackUnreadable(path, reason): return "cannot read haystack file \(path): \(reason)"
        case let .invalidCell(l, d, reason): return "needle cell length \(l) depth \(d): \(reason)"
        case let .haystackTooSmall(dir, n, needed): return "haystack \(dir) yields \(n) paragraphs, the synthetic set needs \(needed)"
        case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
        case .needleTemplateWithoutContext(let t): return "needle prompt template has no {context}: \(t.debugDescription)"
        }
    }
}
