#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tensor described in a GGUF file's header. `shape` is in ggml order: `shape[0]` is the
/// contiguous (innermost) dimension.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let type: GGMLType
    /// Offset of the first byte from the start of the file.
    public let fileOffset: Int
    public let byteCount: Int
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A memory-mapped GGUF (v2/v3) file: metadata, tensor infos and raw tensor bytes.
/// Immutable after `init`, so it can be shared across threads.
public final class GGUFFile: @unchecked Sendable {
    public let path: String
    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order (useful for dumps).
    public let metadataKeys: [String]
    public let tensors: [String: GGUFTensorInfo]
    public let tensorOrder: [String]
    public let alignment: Int
    private let base: UnsafeRawPointer
    public let fileSize: Int

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw GGUFError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw GGUFError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
        let size = Int(st.st_size)
        guard size > 0 else { throw GGUFError.truncated(file: path, field: "magic", offset: 0) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw GGUFError.cannotOpen(file: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        let raw = UnsafeRawPointer(mapped)
        do {
            var reader = GGUFHeaderReader(base: raw, size: size, file: path)
            let header = try reader.readHeader()
            self.version = header.version
            self.metadata = header.metadata
            self.metadataKeys = header.metadataKeys
            self.tensors = header.tensors
            self.tensorOrder = header.tensorOrder
            self.alignment = header.alignment
        } catch {
            munmap(mapped, size)
            throw error
        }
        self.base = raw
        self.fileSize = size
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), fileSize) }

    /// Raw bytes of a tensor, valid while this file is alive.
    public func data(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + tensor.fileOffset, count: tensor.byteCount)
    }

    /// Drops this process's copy of the whole pages inside [start, start+count) of the mapping
    /// (a tensor repacked elsewhere). The bytes stay readable: a later read faults them back
    /// in from the page cache.
    func releasePages(of start: UnsafeRawPointer, count: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + count) / page * page
        guard end > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return }
        madvise(p, end - first, MADV_DONTNEED)
    }

    public func tensor(_ name: String) throws -> GGUFTensorInfo {
        guard let t = tensors[name] else { throw GGUFError.missingTensor(file: path, tensor: name) }
        return t
    }

    // MARK: typed metadata access

    public func value(_ key: String) throws -> GGUFValue {
        guard let v = metadata[key] else { throw GGUFError.missingKey(file: path, key: key) }
        return v
    }

    public func int(_ key: String) throws -> Int {
        let v = try value(key)
        guard let i = v.intValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "integer", found: v.typeName) }
        return i
    }

    public func double(_ key: String) throws -> Double {
        let v = try value(key)
        guard let d = v.doubleValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "number", found: v.typeName) }
        return d
    }

    public func string(_ key: String) throws -> String {
        let v = try value(key)
        guard let s = v.stringValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "string", found: v.typeName) }
        return s
    }

    public func stringArray(_ key: String) throws -> [String] {
        let v = try value(key)
        guard let a = v.arrayValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "array of strings", found: v.typeName) }
        return try a.map {
            guard let s = $0.stringValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "array of strings", found: "array of \($0.typeName)") }
            return s
        }
    }

    public func intArray(_ key: String) throws -> [Int] {
        let v = try value(key)
        guard let a = v.arrayValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "array of integers", found: v.typeName) }
        return try a.map {
            guard let i = $0.intValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "array of integers", found: "array of \($0.typeName)") }
            return i
        }
    }

    public func optionalInt(_ key: String) throws -> Int? { metadata[key] == nil ? nil : try int(key) }
    public func optionalDouble(_ key: String) throws -> Double? { metadata[key] == nil ? nil : try double(key) }
    public func optionalString(_ key: String) throws -> String? { metadata[key] == nil ? nil : try string(key) }
    public func optionalBool(_ key: String) throws -> Bool? {
        guard let v = metadata[key] else { return nil }
        guard let b = v.boolValue else { throw GGUFError.wrongKeyType(file: path, key: key, expected: "bool", found: v.typeName) }
        return b
    }
}
