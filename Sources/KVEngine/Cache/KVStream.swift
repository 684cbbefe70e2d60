#if canImport(Glibc)
import Glibc
#endif

/// The cached keys and values of one attention stream (a KV head, or a query head under the
/// `query_head` layout) in one layer. Keys are stored after RoPE.
/// Shapes: keys, values [count][dim] row-major; positions [count] (original token positions).
public final class KVStream {
    public let dim: Int
    public private(set) var count = 0
    public private(set) var capacity = 0
    public private(set) var keys: UnsafeMutablePointer<Float>
    public private(set) var values: UnsafeMutablePointer<Float>
    public private(set) var positions: [Int32] = []

    public init(dim: Int, reserve: Int = 0) {
        self.dim = dim
        keys = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        values = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        if reserve > 0 { grow(to: reserve) }
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes held by cached keys and values (what the policy kept, not the capacity).
    public var bytes: Int { 2 * count * dim * MemoryLayout<Float>.size }

    private func grow(to needed: Int) {
        let newCap = max(needed, capacity * 2, 16)
        let k = UnsafeMutablePointer<Float>.allocate(capacity: newCap * dim)
        let v = UnsafeMutablePointer<Float>.allocate(capacity: newCap * dim)
        k.update(from: keys, count: count * dim)
        v.update(from: values, count: count * dim)
        keys.deallocate()
        values.deallocate()
        keys = k
        values = v
        capacity = newCap
    }

    /// Appends `rows` tokens whose K and V vectors start at `k`/`v` with row stride `stride`.
    public func append(k: UnsafePointer<Float>, v: UnsafePointer<Float>, rows: Int, stride: Int, firstPosition: Int) {
        if count + rows > capacity { grow(to: count + rows) }
        for r in 0..<rows {
            (keys + (count + r) * dim).update(from: k + r * stride, count: dim)
            (values + (count + r) * dim).update(from: v + r * stride, count: dim)
            positions.append(Int32(firstPosition + r))
        }
        count += rows
    }

    /// Keeps only the entries at `indices` (ascending, unique), releasing the memory of the rest.
    public func retain(indices: [Int]) {
        let n = indices.count
        let k = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1) * dim)
        let v = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1) * dim)
        var pos: [Int32] = []
        pos.reserveCapacity(n)
        for (j, i) in indices.enumerated() {
            precondition(i >= 0 && i < count, "retain index \(i) out of range 0..<\(count)")
            (k + j * dim).update(from: keys + i * dim, count: dim)
            (v + j * dim).update(from: values + i * dim, count: dim)
            pos.append(positions[i])
        }
        keys.deallocate()
        values.deallocate()
        keys = k
        values = v
        positions = pos
        count = n
        capacity = max(n, 1)
    }
}
