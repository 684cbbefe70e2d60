import TaskSpec

/// Why a job could not run on this worker; the message is posted as the job's error.
public enum WorkerError: Error, CustomStringConvertible, Sendable {
    case modelMismatch(path: String, expected: String, found: String)
    case modelNotFound(sha256: String, searched: [String])
    case badSample(id: String, reason: String)
    case badBlob(sha256: String, reason: String)
    case unknownNeedleProtocol(String)
    case numericsMismatch(job: String, mode: String, worker: String)

    public var description: String {
        switch self {
        case let .modelMismatch(path, expected, found):
            return "model \(path) has sha256 \(found), the job needs \(expected)"
        case let .modelNotFound(sha, searched):
            return "no model with sha256 \(sha) in \(searched.joined(separator: ", "))"
        case let .badSample(id, reason): return "sample \(id): \(reason)"
        case let .badBlob(sha, reason): return "blob \(sha): \(reason)"
        case let .unknownNeedleProtocol(p):
            return "needle protocol \"\(p)\" is unknown to this worker (\(NeedleProtocol.knownValues))"
        case let .numericsMismatch(job, mode, worker):
            return "the job is keyed for engine numerics \(job) (\(mode) mode); this worker runs \(worker): run a worker of that version"
        }
    }
}
