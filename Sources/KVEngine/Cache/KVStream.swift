#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// Element type of cached keys and values.
public enum KVDType: String, Codable, Sendable, CaseIterable {
    /// Full precision: the default, what every fidelity test runs.
    case f32
    /// Half precision, as llama.cpp caches by default: half the memory and half the bytes
    /// each decode step reads. Prefill and compression still see fp32 (see `KVStream`).
    case f16

    public var bytes: Int { self == .f32 ? 4 : 2 }
}

/// The cached keys and values of one attention stream (a KV head, or a query head under the
/// `query_head` layout) in one layer. Keys are stored after RoPE.
/// Shapes: keys, values [count][dim] row-major; positions [count] (original token positions).
///
/// A stream is fp32 while its layer is being prefilled and compressed (policies, prefill
/// attention and snapshots read `keys`/`values`); an f16 session then calls `narrow()`, after
/// which rows are stored as f16 (`halfKeys`/`halfValues`) and only decode attention reads them.
/// A later prefill widens the stream back first.
public final class KVStream {
    public let dim: Int
    public private(set) var count = 0
    public private(set) var capacity = 0
    public private(set) var keys: UnsafeMutablePointer<Float>
    public private(set) var values: UnsafeMutablePointer<Float>
    public private(set) var positions: [Int32] = []
    /// Non-nil once narrowed to f16; `keys`/`values` are then empty.
    public private(set) var halfKeys: UnsafeMutablePointer<UInt16>?
    public private(set) var halfValues: UnsafeMutablePointer<UInt16>?

    public init(dim: Int, reserve: Int = 0) {
        self.dim = dim
        keys = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        values = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        if reserve > 0 { grow(to: reserve) }
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        halfKeys?.deallocate()
        halfValues?.deallocate()
    }

    public var dtype: KVDType { halfKeys == nil ? .f32 : .f16 }

    /// Bytes held by cached keys and values (what the policy kept, not the capacity).
    public var bytes: Int { 2 * count * dim * dtype.bytes }

    private func grow(to needed: Int, exactly: Bool = false) {
        let newCap = exactly ? needed : max(needed, capacity * 2, 16)
        if let hk = halfKeys, let hv = halfValues {
            let k = UnsafeMutablePointer<UInt16>.allocate(capacity: newCap * dim)
            let v = UnsafeMutablePointer<UInt16>.allocate(capacity: newCap * dim)
            k.update(from: hk, count: count * dim)
            v.update(from: hv, count: count * dim)
            hk.deallocate()
            hv.deallocate()
            halfKeys = k
            halfValues = v
        } else {
            let k = UnsafeMutablePointer<Float>.allocate(capacity: newCap * dim)
            let v = UnsafeMutablePointer<Float>.allocate(capacity: newCap * dim)
            k.update(from: keys, count: count * dim)
            v.update(from: values, count: count * dim)
            keys.deallocate()
            values.deallocate()
            keys = k
            values = v
        }
        capacity = newCap
    }

    /// Appends `rows` tokens whose K and V vectors start at `k`/`v` with row stride `stride`.
    public func append(k: UnsafePointer<Float>, v: UnsafePointer<Float>, rows: Int, stride: Int, firstPosition: Int) {
        if count + rows > capacity { grow(to: count + rows) }
        for r in 0..<rows {
            if let hk = halfKeys, let hv = halfValues {
                pkv_f32_to_f16(k + r * stride, hk + (count + r) * dim, Int64(dim))
                pkv_f32_to_f16(v + r * stride, hv + (count + r) * dim, Int64(dim))
            } else {
                (keys + (count + r) * dim).update(from: k + r * stride, count: dim)
                (values + (count + r) * dim).update(from: v + r * stride, count: dim)
            }
            positions.append(Int32(firstPosition + r))
        }
        count += rows
    }

    /// Stores the rows as f16 from now on, releasing the fp32 copy.
    public func narrow() {
        guard halfKeys == nil else { return }
        let n = max(capacity, 1) * dim
        let hk = UnsafeMutablePointer<UInt16>.allocate(capacity: n), hv = UnsafeMutablePointer<UInt16>.allocate(capacity: n)
        pkv_f32_to_f16(keys, hk, Int64(count * dim))
        pkv_f32_to_f16(values, hv, Int64(count * dim))
        keys.deallocate()
        values.deallocate()
        keys = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        values = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        halfKeys = hk
        halfValues = hv
    }

    /// Back to fp32 rows (values rounded through f16 stay rounded).
    public func widen() {
        guard let hk = halfKeys, let hv = halfValues else { return }
        let n = max(capacity, 1) * dim
        keys.deallocate()
        values.deallocate()
        keys = UnsafeMutablePointer<Float>.allocate(capacity: n)
        values = UnsafeMutablePointer<Float>.allocate(capacity: n)
        pkv_f16_to_f32_rows(hk, keys, Int64(count * dim))
        pkv_f16_to_f32_rows(hv, values, Int64(count * dim))
        hk.deallocate()
        hv.deallocate()
        halfKeys = nil
        halfValues = nil
    }

    /// Grows the storage to exactly `needed` rows when it holds fewer (a replay of known length
    /// would otherwise double it).
    func reserve(exactly needed: Int) {
        if needed > capacity { grow(to: needed, exactly: true) }
    }

    /// Drops every entry from index `newCount` on (KVzip's replay rows), keeping the storage.
    func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "truncate to \(newCount) of \(count)")
        positions.removeLast(count - newCount)
        count = newCount
    }

    /// Keeps only the entries at `indices` (ascending, unique), releasing the memory of the rest.
    public func retain(indices: [Int]) {
        let wasHalf = halfKeys != nil
        widen()
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
        if wasHalf { narrow() }
    }
}
