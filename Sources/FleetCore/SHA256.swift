import COpenSSL
import Foundation

/// SHA-256 from the system's libcrypto (OpenSSL's EVP interface), so the build compiles no
/// copy of BoringSSL. Feed bytes with `update`, read the digest once with `finalize`.
struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    init() {
        // EVP_MD_CTX_new or DigestInit fail only when malloc does: nothing to recover.
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto could not start a SHA-256 digest (out of memory)")
        }
        self.context = context
    }

    mutating func update(_ bytes: some DataProtocol) {
        for region in bytes.regions {
            region.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, raw.count > 0 else { return }
                _ = EVP_DigestUpdate(context, base, raw.count)
            }
        }
    }

    /// The digest as lower-case hex (64 characters).
    consuming func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &digest, &length)
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in digest.prefix(Int(length)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    deinit { EVP_MD_CTX_free(context) }
}
