/// Parses the GGUF header (magic, version, metadata, tensor infos) from mapped bytes.
/// Every read is bounds-checked so a truncated or corrupt file yields a `GGUFError`.
struct GGUFHeaderReader {
    struct Header {
        var version: UInt32
        var metadata: [String: GGUFValue]
        var metadataKeys: [String]
        var tensors: [String: GGUFTensorInfo]
        var tensorOrder: [String]
        var alignment: Int
    }

    let base: UnsafeRawPointer
    let size: Int
    let file: String
    var offset = 0

    init(base: UnsafeRawPointer, size: Int, file: String) {
        self.base = base
        self.size = size
        self.file = file
    }

    mutating func readHeader() throws -> Header {
        guard size >= 4 else { throw GGUFError.truncated(file: file, field: "magic", offset: 0) }
        let magic = (0..<4).map { base.load(fromByteOffset: $0, as: UInt8.self) }
        guard magic == Array("GGUF".utf8) else {
            let shown = magic.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
                ? "\"" + String(decoding: magic, as: UTF8.self) + "\""
                : magic.map { String($0, radix: 16) }.joined(separator: " ")
            throw GGUFError.badMagic(file: file, found: shown)
        }
        offset = 4
        let version: UInt32 = try read("version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(file: file, version: version) }
        let tensorCount = try readCount("tensor_count")
        let kvCount = try readCount("kv_count")

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(kvCount)
        for i in 0..<kvCount {
            let key = try readString("metadata key #\(i)")
            let type: UInt32 = try read("type of \(key)")
            metadata[key] = try readValue(type: type, key: key)
            keys.append(key)
        }

        var alignment = 32
        if let a = metadata["general.alignment"] {
            guard let v = a.intValue, v > 0, v & (v - 1) == 0 else {
                throw GGUFError.invalidValue(file: file, field: "general.alignment", value: "\(a)")
            }
            alignment = v
        }

        var infos: [(String, [Int], GGMLType, Int)] = []
        infos.reserveCapacity(tensorCount)
        for i in 0..<tensorCount {
            let name = try readString("tensor info #\(i) name")
            let nDims: UInt32 = try read("n_dims of \(name)")
            guard nDims >= 1 && nDims <= 4 else {
                throw GGUFError.invalidValue(file: file, field: "n_dims of tensor \(name)", value: "\(nDims)")
            }
            var shape: [Int] = []
            for d in 0..<Int(nDims) {
                let dim: UInt64 = try read("dim \(d) of \(name)")
                guard let v = Int(exactly: dim), v > 0 else {
                    throw GGUFError.invalidValue(file: file, field: "dim \(d) of tensor \(name)", value: "\(dim)")
                }
                shape.append(v)
            }
            let rawType: UInt32 = try read("type of \(name)")
            guard let type = GGMLType(rawValue: rawType) else {
                throw GGUFError.unknownTensorType(file: file, tensor: name, type: rawType)
            }
            let off: UInt64 = try read("offset of \(name)")
            guard let o = Int(exactly: off) else {
                throw GGUFError.invalidValue(file: file, field: "offset of tensor \(name)", value: "\(off)")
            }
            infos.append((name, shape, type, o))
        }

        let dataStart = (offset + alignment - 1) / alignment * alignment
        var tensors: [String: GGUFTensorInfo] = [:]
        var order: [String] = []
        for (name, shape, type, rel) in infos {
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            guard !overflow, let bytes = type.byteCount(elements: count) else {
                throw GGUFError.invalidValue(file: file, field: "shape of tensor \(name) (\(type.name))", value: "\(shape)")
            }
            let start = dataStart + rel
            guard rel % alignment == 0 else {
                throw GGUFError.invalidValue(file: file, field: "offset of tensor \(name) (alignment \(alignment))", value: "\(rel)")
            }
            guard start + bytes <= size else {
                throw GGUFError.tensorOutOfBounds(file: file, tensor: name, end: start + bytes, fileSize: size)
            }
            tensors[name] = GGUFTensorInfo(name: name, shape: shape, type: type, fileOffset: start, byteCount: bytes)
            order.append(name)
        }
        return Header(version: version, metadata: metadata, metadataKeys: keys, tensors: tensors,
                      tensorOrder: order, alignment: alignment)
    }

    // MARK: primitives

    private mutating func read<T: FixedWidthInteger>(_ field: @autoclosure () -> String) throws -> T {
        let n = MemoryLayout<T>.size
        guard offset + n <= size else { throw GGUFError.truncated(file: file, field: field(), offset: offset) }
        let v = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += n
        return T(littleEndian: v)
    }

    private mutating func readCount(_ field: String) throws -> Int {
        let v: UInt64 = try read(field)
        // Any count larger than the file is corrupt; checking here avoids huge allocations.
        guard let c = Int(exactly: v), c <= size else {
            throw GGUFError.invalidValue(file: file, field: field, value: "\(v)")
        }
        return c
    }

    private mutating func readString(_ field: @autoclosure () -> String) throws -> String {
        let len: UInt64 = try read(field())
        guard let n = Int(exactly: len), n <= size - offset else {
            throw GGUFError.truncated(file: file, field: field(), offset: offset)
        }
        let s = String(decoding: UnsafeRawBufferPointer(start: base + offset, count: n), as: UTF8.self)
        offset += n
        return s
    }

    private mutating func readValue(type: UInt32, key: String) throws -> GGUFValue {
        switch type {
        case 0: return .uint8(try read(key))
        case 1: return .int8(try read(key))
        case 2: return .uint16(try read(key))
        case 3: return .int16(try read(key))
        case 4: return .uint32(try read(key))
        case 5: return .int32(try read(key))
        case 6: return .float32(Float(bitPattern: try read(key)))
        case 7:
            let b: UInt8 = try read(key)
            guard b <= 1 else { throw GGUFError.invalidValue(file: file, field: key, value: "bool byte \(b)") }
            return .bool(b == 1)
        case 8: return .string(try readString(key))
        case 9:
            let elementType: UInt32 = try read("element type of \(key)")
            let count = try readCount("length of \(key)")
            var items: [GGUFValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try readValue(type: elementType, key: key)) }
            return .array(items)
        case 10: return .uint64(try read(key))
        case 11: return .int64(try read(key))
        case 12: return .float64(Double(bitPattern: try read(key)))
        default: throw GGUFError.unknownValueType(file: file, key: key, type: type)
        }
    }
}
