/// The Mersenne Twister MT19937 (Matsumoto & Nishimura's mt19937ar.c), the generator under both
/// CPython's `random` and numpy's legacy `np.random.RandomState`. The two differ only in seeding:
/// CPython seeds an int through `init_by_array` over its 32-bit words; numpy's `np.random.seed(int)`
/// uses `init_genrand`.
struct MT19937: Sendable {
    private static let n = 624, m = 397
    /// state words, 624
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 625

    /// `init_genrand(s)`.
    init(genrandSeed s: UInt32) {
        initGenrand(s)
    }

    /// `init_by_array(key)`.
    init(key: [UInt32]) {
        initGenrand(19650218)
        var i = 1, j = 0
        let keyLength = key.count
        var k = max(Self.n, keyLength)
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1664525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1; j += 1
            if i >= Self.n { mt[0] = mt[Self.n - 1]; i = 1 }
            if j >= keyLength { j = 0 }
            k -= 1
        }
        k = Self.n - 1
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1566083941)) &- UInt32(truncatingIfNeeded: i)
            i += 1
            if i >= Self.n { mt[0] = mt[Self.n - 1]; i = 1 }
            k -= 1
        }
        mt[0] = 0x8000_0000
        index = Self.n
    }

    private mutating func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<Self.n {
            mt[i] = 1812433253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = Self.n
    }

    /// `genrand_int32()`.
    mutating func next32() -> UInt32 {
        if index >= Self.n { twist() }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let upper: UInt32 = 0x8000_0000, lower: UInt32 = 0x7fff_ffff
        for kk in 0..<Self.n {
            let y = (mt[kk] & upper) | (mt[(kk + 1) % Self.n] & lower)
            mt[kk] = mt[(kk + Self.m) % Self.n] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_b0df)
        }
        index = 0
    }
}
