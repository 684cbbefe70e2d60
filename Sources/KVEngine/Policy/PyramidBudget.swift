/// PyramidKV's per-layer budgets (KVCache-Factory `PyramidKVCluster.update_kv`, integer
/// arithmetic). Returns, per layer, the number of non-window tokens kept (`C_l`), or nil when the
/// prompt is too short to compress at all.
public enum PyramidBudget {
    public enum Regime: String, Sendable { case uncompressed, uniform, pyramid }

    public static func nonWindowCounts(budget: Int, window w: Int, beta: Int, layers L: Int, promptLength n: Int,
                                       stepDivisorIsLayers: Bool = false) -> (regime: Regime, counts: [Int]) {
        let b = budget - w
        if n < budget { return (.uncompressed, Array(repeating: n - w, count: L)) }
        if n < 2 * b { return (.uniform, Array(repeating: b, count: L)) }
        var minNum = b / beta
        var maxNum = 2 * b - minNum
        if maxNum >= n - w {
            maxNum = n - w
            minNum = 2 * b - maxNum
        }
        let divisor = stepDivisorIsLayers ? L : max(L - 1, 1)
        let step = (maxNum - minNum) / divisor
        return (.pyramid, (0..<L).map { maxNum - $0 * step })
    }
}
