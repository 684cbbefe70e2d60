import CKernels
import Foundation
import KVEngine
import Testing

/// The roofline probe must read every byte (else its "ceiling" would be a cache's speed or a
/// skipped tail): its checksum is compared with one computed here byte by byte, on 1 and 2
/// threads, for sizes that end inside a 128-byte group, a 4 KiB chunk, and exactly on one.
@Suite("Read ceiling probe", .serialized)
struct ReadCeilingTests {
    /// pkv_stream_read's checksum: per 4 KiB chunk, 64-bit words of whole 128-byte groups, then
    /// the chunk's leftover bytes one by one, all XORed.
    static func reference(_ bytes: [UInt8]) -> UInt64 {
        var sum: UInt64 = 0
        bytes.withUnsafeBytes { raw in
            var chunk = 0
            while chunk < bytes.count {
                let len = min(4096, bytes.count - chunk)
                var i = 0
                while i + 128 <= len {
                    for w in 0..<16 { sum ^= raw.loadUnaligned(fromByteOffset: chunk + i + 8 * w, as: UInt64.self) }
                    i += 128
                }
                while i < len { sum ^= UInt64(raw[chunk + i]); i += 1 }
                chunk += 4096
            }
        }
        return sum
    }

    @Test("reads every byte", arguments: [1, 127, 128, 4095, 4096, 3 * 4096 + 77, 1 << 20])
    func checksum(size: Int) {
        var rng = SplitMix(seed: UInt64(size))
        let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let before = pkv_pool_threads()
        defer { _ = pkv_pool_set_threads(before) }
        for threads in [1, 2] {
            _ = pkv_pool_set_threads(Int32(threads))
            let got = bytes.withUnsafeBytes { pkv_stream_read($0.baseAddress, Int64(size)) }
            #expect(got == Self.reference(bytes), "size \(size), \(threads) threads")
            // Flipping the last byte must change the sum: the tail is read.
            var flipped = bytes
            flipped[size - 1] ^= 0x01
            let other = flipped.withUnsafeBytes { pkv_stream_read($0.baseAddress, Int64(size)) }
            #expect(other != got, "size \(size), \(threads) threads: last byte not read")
        }
    }

    @Test("gives a finite, positive time and rate")
    func rate() {
        let seconds = ReadCeiling.secondsToRead(bytes: 8 << 20, repeats: 2)
        #expect(seconds > 0 && seconds.isFinite)
        #expect(ReadCeiling.tokensPerSecond(bytesPerToken: 8 << 20, repeats: 2) > 0)
        #expect(ReadCeiling.secondsToRead(bytes: 0) == 0)
    }
}
