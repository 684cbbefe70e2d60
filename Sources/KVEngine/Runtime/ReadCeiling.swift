import CKernels
import Foundation

/// Decode's roofline: a decode step reads every weight byte and every cached K/V byte once, so
/// it can go no faster than the kernels' thread pool reads that many bytes. Measured, not
/// assumed: the same pool, the same threads, a buffer of the step's size (so the caches help
/// exactly as much as they help decode).
public enum ReadCeiling {
    /// Best-of-`repeats` seconds to read `bytes` once, after one warm-up pass.
    public static func secondsToRead(bytes: Int, repeats: Int = 5) -> Double {
        guard bytes > 0 else { return 0 }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer { buffer.deallocate() }
        // Written first: untouched pages would read as the shared zero page, from cache.
        memset(buffer, 0x5a, bytes)
        var checksum = pkv_stream_read(buffer, Int64(bytes))
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            checksum ^= pkv_stream_read(buffer, Int64(bytes))
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        withExtendedLifetime(checksum) {}
        return best
    }

    /// The fastest decode (tokens per second) that reads `bytes` per token.
    public static func tokensPerSecond(bytesPerToken: Int, repeats: Int = 5) -> Double {
        let s = secondsToRead(bytes: bytesPerToken, repeats: repeats)
        return s > 0 ? 1 / s : 0
    }
}
