import Foundation

/// CPython's `random.Random` (Lib/random.py over Modules/_randommodule.c, as of CPython 3.11) for
/// the calls RULER's generators make, bit for bit: `seed(int)`, `random()`, `getrandbits(k)`,
/// `_randbelow` (getrandbits rejection), `randrange`/`randint`, `choice`, `choices` (no weights),
/// `shuffle` and `sample` (both of its branches). `random.seed(n)` and `random.Random(n)` are the
/// same thing: `PythonRandom(seed: n)`.
public struct PythonRandom: Sendable {
    private var mt: MT19937

    /// `random.seed(a)` for an int `a`: `init_by_array` over the 32-bit words of `abs(a)`, least
    /// significant first (`[0]` for 0).
    public init(seed: Int) {
        var n = seed.magnitude
        var key: [UInt32] = []
        repeat {
            key.append(UInt32(truncatingIfNeeded: n))
            n >>= 32
        } while n != 0
        mt = MT19937(key: key)
    }

    /// `random()`: 53 random bits in [0, 1).
    public mutating func random() -> Double {
        let a = Double(mt.next32() >> 5), b = Double(mt.next32() >> 6)
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// `getrandbits(k)` as little-endian 32-bit words (the first word drawn is the least
    /// significant; the last one keeps its top `k mod 32` bits).
    public mutating func getrandbitsWords(_ k: Int) -> [UInt32] {
        precondition(k >= 0, "getrandbits: number of bits must be non-negative")
        if k == 0 { return [] }
        if k <= 32 { return [mt.next32() >> (32 - UInt32(k))] }
        var words: [UInt32] = []
        var left = k
        while left > 0 {
            var r = mt.next32()
            if left < 32 { r >>= UInt32(32 - left) }
            words.append(r)
            left -= 32
        }
        return words
    }

    /// `getrandbits(k)` for k ≤ 64.
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition(k <= 64, "getrandbits(\(k)): use getrandbitsWords for more than 64 bits")
        var out: UInt64 = 0
        for (i, w) in getrandbitsWords(k).enumerated() { out |= UInt64(w) << (32 * UInt64(i)) }
        return out
    }

    /// `_randbelow(n)` (`_randbelow_with_getrandbits`): k = n.bit_length(), draw k bits until < n.
    /// n = 1 still draws (one 32-bit word per try).
    public mutating func randbelow(_ n: Int) -> Int {
        precondition(n > 0, "_randbelow needs n > 0")
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(k)
        while r >= UInt64(n) { r = getrandbits(k) }
        return Int(r)
    }

    /// `randrange(start, stop)` (step 1).
    public mutating func randrange(_ start: Int, _ stop: Int) -> Int {
        precondition(stop > start, "empty range for randrange(\(start), \(stop))")
        return start + randbelow(stop - start)
    }

    /// `randint(a, b)` = `randrange(a, b + 1)`.
    public mutating func randint(_ a: Int, _ b: Int) -> Int { randrange(a, b + 1) }

    /// `choice(seq)`.
    public mutating func choice<C: RandomAccessCollection>(_ seq: C) -> C.Element where C.Index == Int {
        precondition(!seq.isEmpty, "Cannot choose from an empty sequence")
        return seq[seq.startIndex + randbelow(seq.count)]
    }

    /// The index `choice` would pick from a sequence of `count` elements.
    public mutating func choiceIndex(count: Int) -> Int { randbelow(count) }

    /// `choices(population, k=k)` without weights: `population[floor(random() * n)]`, k times.
    public mutating func choices<C: RandomAccessCollection>(_ population: C, k: Int) -> [C.Element] where C.Index == Int {
        let n = Double(population.count)
        return (0..<k).map { _ in population[population.startIndex + Int((random() * n).rounded(.down))] }
    }

    /// `shuffle(x)` in place: for i from len-1 down to 1, swap x[i] with x[_randbelow(i+1)].
    public mutating func shuffle<T>(_ x: inout [T]) {
        var i = x.count - 1
        while i >= 1 {
            let j = randbelow(i + 1)
            x.swapAt(i, j)
            i -= 1
        }
    }

    /// The `setsize` rule of `sample`: 21, plus 4 ** ceil(log(3k, 4)) when k > 5. The pool branch
    /// runs when n <= setsize, the set branch otherwise.
    public static func sampleSetSize(k: Int) -> Int {
        var setsize = 21
        if k > 5 {
            let e = (Foundation.log(Double(k * 3)) / Foundation.log(4.0)).rounded(.up)
            setsize += Int(Foundation.pow(4.0, e))
        }
        return setsize
    }

    /// `sample(range(n), k)`: the chosen indices, in selection order.
    public mutating func sampleIndices(n: Int, k: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "Sample larger than population or is negative")
        var result: [Int] = []
        result.reserveCapacity(k)
        if n <= Self.sampleSetSize(k: k) {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = randbelow(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = randbelow(n)
                while selected.contains(j) { j = randbelow(n) }
                selected.insert(j)
                result.append(j)
            }
        }
        return result
    }

    /// `sample(population, k)`.
    public mutating func sample<C: RandomAccessCollection>(_ population: C, k: Int) -> [C.Element] where C.Index == Int {
        sampleIndices(n: population.count, k: k).map { population[population.startIndex + $0] }
    }
}
