#if canImport(Glibc)
import Glibc
#endif

/// Memory for packed weights. Decode streams every packed byte once per token; on Linux the
/// whole 2 MiB pages inside the buffer are offered to transparent huge pages (MADV_HUGEPAGE;
/// distributions default to "madvise"), so the stream does not take a TLB miss every 4 KiB.
/// Only pages the buffer fills are advised, so resident memory stays the weights' size.
enum PackedWeightBuffer {
    static let hugePage = 2 << 20

    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= hugePage ? hugePage : 64)
        #if canImport(Glibc)
        let start = Int(bitPattern: buffer), end = start + bytes
        let first = (start + hugePage - 1) / hugePage * hugePage, last = end / hugePage * hugePage
        // Advice only: where the kernel refuses it, the pages stay 4 KiB and nothing else changes.
        if last > first { _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, MADV_HUGEPAGE) }
        #endif
        return buffer
    }
}
