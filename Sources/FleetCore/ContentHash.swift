import Foundation

/// Lower-case hex sha256 digests: the content addresses of jobs, samples and blobs.
public enum ContentHash {
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// sha256 of a file's bytes, read in 4 MiB chunks (model files are hundreds of MB).
    public static func sha256Hex(fileAt path: String) throws(ContentHashError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .cannotOpen(file: path) }
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        do {
            while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty { hasher.update(chunk) }
        } catch {
            throw .cannotRead(file: path, reason: "\(error)")
        }
        return hasher.finalize()
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

/// A file that could not be hashed.
public enum ContentHashError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(file: String)
    case cannotRead(file: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let file): return "cannot open \(file) to hash it"
        case .cannotRead(let file, let reason): return "cannot read \(file) to hash it: \(reason)"
        }
    }
}
