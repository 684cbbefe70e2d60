/// A closed set of names with one spelling each (policy names, presets, pooling, layouts).
/// Decoding an unknown spelling fails with the field's coding path and the known values, so a
/// bad submit is refused at the door with e.g. `unknown policy 'snapk'; known: fullkv, …`.
public protocol PolicyVocabulary: RawRepresentable, CaseIterable where RawValue == String {
    /// What a value is called in messages ("policy", "preset", …).
    static var noun: String { get }
}

extension PolicyVocabulary {
    /// The known spellings, comma-separated, in declaration order.
    public static var knownValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// "unknown policy 'snapk'; known: fullkv, streamingllm, …".
    public static func unknownValueMessage(_ raw: String) -> String {
        "unknown \(noun) '\(raw)'; known: \(knownValues)"
    }

    /// The value a spelling names, or an error naming the known ones (CLI flags).
    public static func parse(_ raw: String) throws(PolicyError) -> Self {
        guard let value = Self(rawValue: raw) else {
            throw PolicyError(parameter: noun, value: raw, reason: unknownValueMessage(raw))
        }
        return value
    }

    /// Shared body of the vocabularies' `init(from:)`.
    public static func decodeVocabulary(from decoder: any Decoder) throws -> Self {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: unknownValueMessage(raw))
        }
        return value
    }
}
