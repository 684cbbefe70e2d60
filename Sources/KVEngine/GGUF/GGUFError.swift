/// Errors from reading a GGUF file. Each names the file, the field and the offending value.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(file: String, reason: String)
    case badMagic(file: String, found: String)
    case unsupportedVersion(file: String, version: UInt32)
    case truncated(file: String, field: String, offset: Int)
    case unknownValueType(file: String, key: String, type: UInt32)
    case unknownTensorType(file: String, tensor: String, type: UInt32)
    case tensorOutOfBounds(file: String, tensor: String, end: Int, fileSize: Int)
    case missingKey(file: String, key: String)
    case wrongKeyType(file: String, key: String, expected: String, found: String)
    case missingTensor(file: String, tensor: String)
    case badTensorShape(file: String, tensor: String, expected: [Int], found: [Int])
    case invalidValue(file: String, field: String, value: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason): return "\(file): cannot open: \(reason)"
        case let .badMagic(file, found): return "\(file): not a GGUF file (magic \(found), expected \"GGUF\")"
        case let .unsupportedVersion(file, v): return "\(file): GGUF version \(v) is not supported (2 or 3)"
        case let .truncated(file, field, offset): return "\(file): truncated while reading \(field) at byte \(offset)"
        case let .unknownValueType(file, key, t): return "\(file): metadata key \(key) has unknown value type \(t)"
        case let .unknownTensorType(file, name, t): return "\(file): tensor \(name) has unsupported ggml type \(t)"
        case let .tensorOutOfBounds(file, name, end, size):
            return "\(file): tensor \(name) ends at byte \(end), past the end of the file (\(size) bytes)"
        case let .missingKey(file, key): return "\(file): required metadata key \(key) is missing"
        case let .wrongKeyType(file, key, exp, found): return "\(file): metadata key \(key) is \(found), expected \(exp)"
        case let .missingTensor(file, name): return "\(file): required tensor \(name) is missing"
        case let .badTensorShape(file, name, exp, found): return "\(file): tensor \(name) has shape \(found), expected \(exp)"
        case let .invalidValue(file, field, value): return "\(file): \(field) has invalid value \(value)"
        }
    }
}
