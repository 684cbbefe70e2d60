import Crypto
import Foundation

/// Lower-case hex sha256 digests: the content addresses of jobs, samples and blobs.
public enum ContentHash {
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// sha256 of the canonical JSON of `value` (design §4).
    public static func sha256OfCanonicalJSON<T: Encodable>(_ value: T) throws(WireEncodingError) -> String {
        sha256Hex(try WireJSON.canonicalData(value))
    }

    /// True when `text` looks like a sha256 digest in lower-case hex.
    public static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
