/// numpy's legacy global generator (`np.random.seed(int)` / `np.random.randint`), which RULER's
/// variable tracking draws its chain values from: MT19937 seeded with `init_genrand(seed)`, and
/// `randint(low, high)` (high exclusive, int64) by masked rejection over 32-bit draws
/// (numpy/random/src/distributions `buffered_bounded_masked_uint32`, legacy path).
public struct NumpyLegacyRandom: Sendable {
    private var mt: MT19937

    /// `np.random.seed(seed)` for 0 ≤ seed < 2³².
    public init(seed: UInt32) { mt = MT19937(genrandSeed: seed) }

    /// `np.random.randint(low, high)` for a range that fits 32 bits.
    public mutating func randint(_ low: Int, _ high: Int) -> Int {
        precondition(high > low, "randint: low >= high")
        let rng = UInt64(high - 1 - low)
        precondition(rng <= 0xFFFF_FFFF, "randint: ranges wider than 32 bits are not ported")
        if rng == 0 { return low }
        if rng == 0xFFFF_FFFF { return low + Int(mt.next32()) }
        var mask = rng
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        var v = UInt64(mt.next32()) & mask
        while v > rng { v = UInt64(mt.next32()) & mask }
        return low + Int(v)
    }
}
