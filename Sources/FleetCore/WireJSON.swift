import Foundation

/// The one place that decides how fleet types look on the wire: snake_case keys, times as
/// seconds since 1970 (plain numbers), and canonical output (sorted keys, no whitespace).
///
/// The key strategies also rewrite the keys of `[String: X]` dictionaries, so wire types carry
/// no string-keyed maps (dataset names such as `multifieldqa_en` would not survive the trip):
/// they use arrays of small structs instead.
public enum WireJSON {
    /// Encoder for every wire message; its output is canonical: sorted keys and no whitespace.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decoder matching `encoder()`. Lenient about unknown keys; use `StrictJSONDecoder` for
    /// anything that arrives from outside the process.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
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
