/// Why a RULER task could not be generated.
public enum RULERError: Error, Equatable, CustomStringConvertible, Sendable {
    case unknownTask(String)
    case wordListUnreadable(path: String, reason: String)
    case wordListEmpty(path: String)
    case haystackUnreadable(path: String, reason: String)
    case invalidArgument(task: String, reason: String)
    /// RULER retries a sample that does not fit by shrinking the haystack; this one cannot shrink further.
    case cannotFit(task: String, maxSeqLength: Int, haystack: Int, length: Int)
    /// cwe asks for more distinct words than wonderwords has; RULER then samples from its
    /// english_words.json, which this port does not ship.
    case needsEnglishWords(task: String, numWords: Int, available: Int)
    /// A Python exception RULER's code would raise (and, inside its retry loops, swallow).
    case pythonException(task: String, reason: String)

    public var description: String {
        switch self {
        case .unknownTask(let t): return "unknown RULER task \(t.debugDescription) (known: \(RULERTasks.names.joined(separator: ", ")))"
        case let .wordListUnreadable(p, r): return "cannot read RULER word list \(p): \(r) (run scripts/fetch-assets)"
        case .wordListEmpty(let p): return "RULER word list \(p) is empty"
        case let .haystackUnreadable(p, r): return "cannot read RULER essay haystack \(p): \(r) (run scripts/fetch-assets)"
        case let .invalidArgument(t, r): return "RULER \(t): \(r)"
        case let .cannotFit(t, m, h, l):
            return "RULER \(t): a sample with haystack \(h) is \(l) tokens, over max_seq_length \(m), and cannot shrink further"
        case let .needsEnglishWords(t, n, a):
            return "RULER \(t): needs \(n) distinct words but wonderwords has \(a); RULER would use json/english_words.json, which is not ported"
        case let .pythonException(t, r): return "RULER \(t): \(r)"
        }
    }
}
