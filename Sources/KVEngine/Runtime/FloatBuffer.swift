#if canImport(Glibc)
import Glibc
#endif

/// A 64-byte aligned, fixed-size fp32 buffer. Reference type so large weights are never
/// copied; immutable after load when used for weights.
public final class FloatBuffer: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    public init(count: Int, zeroed: Bool = false) {
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.size
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating \(bytes) bytes")
        }
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        if zeroed { pointer.initialize(repeating: 0, count: count) }
    }

    deinit { free(pointer) }

    public var bytes: Int { count * MemoryLayout<Float>.size }
    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }
    public func toArray(from start: Int = 0, count n: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer + start, count: n ?? count - start))
    }
}
