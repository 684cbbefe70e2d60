/// One metadata value of a GGUF file (all thirteen value types of GGUF v2/v3).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16)
    case uint32(UInt32), int32(Int32), uint64(UInt64), int64(Int64)
    case float32(Float), float64(Double), bool(Bool), string(String)
    case array([GGUFValue])

    public var typeName: String {
        switch self {
        case .uint8: "uint8"; case .int8: "int8"; case .uint16: "uint16"; case .int16: "int16"
        case .uint32: "uint32"; case .int32: "int32"; case .uint64: "uint64"; case .int64: "int64"
        case .float32: "float32"; case .float64: "float64"; case .bool: "bool"; case .string: "string"
        case .array: "array"
        }
    }

    /// Integer view of any integer type (GGUF writers differ in which width they use).
    public var intValue: Int? {
        switch self {
        case let .uint8(v): Int(v); case let .int8(v): Int(v); case let .uint16(v): Int(v)
        case let .int16(v): Int(v); case let .uint32(v): Int(v); case let .int32(v): Int(v)
        case let .uint64(v): Int(exactly: v); case let .int64(v): Int(v)
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case let .float32(v): Double(v); case let .float64(v): v
        default: intValue.map(Double.init)
        }
    }

    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    public var boolValue: Bool? { if case let .bool(b) = self { b } else { nil } }
    public var arrayValue: [GGUFValue]? { if case let .array(a) = self { a } else { nil } }
}
