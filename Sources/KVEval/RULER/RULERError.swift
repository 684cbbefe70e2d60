/// Why a RULER task could not be generated.
public enum RULERError: Error, Equatable, CustomStringConvertible, Sendable {
    case unknownTask(String)
    case wordListUnreadable(path: String, reason: String)
    case wordListEmpty(path: String)
    case haystackUnreadable(path: String, reason: String)
    /// RULER's QA data (squad.json, hotpotqa.json) missing or not as RULER's qa.py reads it.
    case qaDataUnreadable(path: String, reason: String)
    case invalidArgument(task: String, reason: String)
    /// RULER retries a sample that does not fit by shrinking the haystack; this one cannot shrink
    /// further (`length` 0: no try produced a sample at all).
    case cannotFit(task: String, maxSeqLength: Int, haystack: Int, length: Int)
    /// A Python exception RULER's code would raise (and, inside its retry loops, swallow).
    case pythonException(task: String, reason: String)
    /// A record whose prompt lacks its task's question text (after-compression cannot split it).
    case noQuestion(task: String, marker: String)

    public var description: String {
        switch self {
        case .unknownTask(let t): return "unknown RULER task \(t.debugDescription) (known: \(RULERTasks.names.joined(separator: ", ")))"
        case let .wordListUnreadable(p, r): return "cannot read RULER word list \(p): \(r) (run scripts/fetch-assets)"
        case .wordListEmpty(let p): return "RULER word list \(p) is empty"
        case let .haystackUnreadable(p, r): return "cannot read RULER essay haystack \(p): \(r) (run scripts/fetch-assets)"
        case let .qaDataUnreadable(p, r): return "cannot read RULER QA data \(p): \(r) (run scripts/fetch-assets)"
        case let .invalidArgument(t, r): return "RULER \(t): \(r)"
        case let .cannotFit(t, m, h, l) where l == 0:
            return "RULER \(t): no sample fits max_seq_length \(m): at haystack size \(h) every try fails as it would in RULER's "
                + "script (which retries forever); use a larger max_seq_length"
        case let .cannotFit(t, m, h, l):
            return "RULER \(t): a sample with haystack \(h) is \(l) tokens, over max_seq_length \(m), and cannot shrink further"
        case let .pythonException(t, r): return "RULER \(t): \(r)"
        case let .noQuestion(t, m):
            return "RULER \(t): the record's prompt does not contain the task's question text \(m.debugDescription), so it cannot be split for question: after-compression"
        }
    }
}
