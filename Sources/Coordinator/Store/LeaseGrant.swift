import FleetCore

/// A granted lease without its job spec: what the claim transaction decides. The HTTP API
/// sends it with the spec's stored JSON spliced in; in-process callers get a `Lease`.
public struct LeaseGrant: Encodable, Sendable, Hashable {
    public var jobId: Int64
    public var jobKey: JobKey
    public var token: String
    public var expiresAt: Double
    public var leaseSeconds: Double
    public var attempt: Int
    public var pendingSampleIds: [String]

    func lease(spec: JobSpec) -> Lease {
        Lease(jobId: jobId, jobKey: jobKey, token: token, expiresAt: expiresAt, leaseSeconds: leaseSeconds,
              attempt: attempt, spec: spec, pendingSampleIds: pendingSampleIds)
    }

    /// `{"lease":{…,"spec":SPEC}}`, the wire form of `LeaseResponse`, with `specJSON` (canonical
    /// JSON of a `JobSpec`, as stored at submit) inserted as is.
    func responseJSON(specJSON: String) throws -> [UInt8] {
        var fields = Array(try WireJSON.encoder().encode(self))
        fields.removeLast()  // the closing brace of the fields' object
        var out = Array(#"{"lease":"#.utf8)
        out += fields
        out += Array(#","spec":"#.utf8)
        out += Array(specJSON.utf8)
        out += Array("}}".utf8)
        return out
    }

    private enum CodingKeys: String, CodingKey {
        case jobId = "job_id", jobKey = "job_key", token, expiresAt = "expires_at",
            leaseSeconds = "lease_seconds", attempt, pendingSampleIds = "pending_sample_ids"
    }
}
