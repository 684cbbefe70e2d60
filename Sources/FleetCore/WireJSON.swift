import Foundation

/// The one place that decides how fleet types look on the wire: snake_case keys, times as
/// seconds since 1970 (plain numbers), and canonical output (sorted keys, no whitespace).
///
/// The snake_case names are each wire type's explicit `CodingKeys`, not a key strategy:
/// Foundation's `convertToSnakeCase`/`convertFromSnakeCase` rewrite every key of every
/// container on every call (about 6 % of the coordinator benchmark's CPU, ~8 % more cycles/s
/// without them). WireFormatGoldenTests pins the bytes.
public enum WireJSON {
    /// Encoder for every wire message; its output is canonical: sorted keys and no whitespace.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decoder matching `encoder()`. Lenient about unknown keys; use `StrictJSONDecoder` for
    /// anything that arrives from outside the process.
    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// Canonical bytes of a value (sorted keys, no whitespace): the input of every content hash.
    public static func canonicalData<T: Encodable>(_ value: T) throws(WireEncodingError) -> Data {
        do {
            return try encoder().encode(value)
        } catch {
            throw WireEncodingError(typeName: String(describing: T.self), detail: "\(error)")
        }
    }
}

/// A value could not be encoded (a non-finite number, for instance).
public struct WireEncodingError: Error, CustomStringConvertible, Sendable {
    public let typeName: String
    public let detail: String
    public var description: String { "cannot encode \(typeName) as JSON: \(detail)" }
}
