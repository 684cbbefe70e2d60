import PolicySpec

/// One uncompressed prefill of a prompt, kept so that other policies and budgets on the same
/// prompt skip the forward pass: every policy compresses after the prompt has gone through all
/// layers with full attention (each layer is selected from its own complete cache), so the
/// prefill's logits, K/V and evidence do not depend on the policy. A sweep runs each prompt
/// under many policy × budget pairs; sharing the prefill is the bulk of its compute.
/// Immutable once made; `Generator.generate(_:from:)` copies what it needs.
public final class PrefillSnapshot: @unchecked Sendable {
    public let promptIDs: [Int32]
    let logits: [Float]
    /// The query rows captured for window-scored policies (their `captureWindow` must equal it).
    public let window: Int
    let windowQueries: [FloatBuffer]
    let columnSums: ColumnSumObserver?
    let queryStatistics: QueryStatistics?
    /// The whole prompt's K/V, one stream per KV head.
    let cache: KVCache
    /// Bytes held (K/V, captured queries, column sums).
    public let bytes: Int
    /// The numerics mode the prefill ran in: a snapshot serves only sessions of its own mode.
    public let activations: ActivationPrecision

    init(promptIDs: [Int32], logits: [Float], window: Int, windowQueries: [FloatBuffer],
         columnSums: ColumnSumObserver?, queryStatistics: QueryStatistics? = nil, cache: KVCache) {
        self.promptIDs = promptIDs
        self.logits = logits
        self.window = window
        self.windowQueries = windowQueries
        self.columnSums = columnSums
        self.queryStatistics = queryStatistics
        self.cache = cache
        activations = KernelRuntime.activations
        let floats = windowQueries.reduce(0) { $0 + $1.count }
            + (columnSums?.sums.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } ?? 0)
        bytes = cache.bytes + floats * MemoryLayout<Float>.size + (queryStatistics?.bytes ?? 0)
    }

    /// The window a snapshot for `policy` should capture: the policy's own, or 8 (the default
    /// window of SnapKV, PyramidKV and H2O) for policies that need none, so later ones can share it.
    public static func evidenceWindow(for policy: BudgetedPolicy?) throws -> Int {
        guard let policy, let kvPolicy = try KVPolicies.make(policy), kvPolicy.captureWindow > 0 else { return 8 }
        return kvPolicy.captureWindow
    }

    /// Whether `policy` (nil: FullKV) can be run from this snapshot now: the process runs the
    /// snapshot's numerics mode, and the policy needs no evidence, or exactly the window captured
    /// here (and the column sums, if it scores with them).
    public func serves(_ policy: BudgetedPolicy?) throws -> Bool {
        guard activations == KernelRuntime.activations else { return false }
        guard let policy, let kvPolicy = try KVPolicies.make(policy) else { return true }
        guard !kvPolicy.needsQueryStatistics || queryStatistics != nil else { return false }
        if kvPolicy.captureWindow == 0 && !kvPolicy.needsColumnSums { return true }
        let window = min(kvPolicy.captureWindow, promptIDs.count)
        return window == self.window && (!kvPolicy.needsColumnSums || columnSums != nil)
    }
}
