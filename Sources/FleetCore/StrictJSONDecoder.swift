import Foundation
import Synchronization

/// Why a request body was refused; every case names the offending field as a dotted path
/// (`spec.policies[0].window`), or "body" when the problem is the document itself.
public enum WireDecodingError: Error, Equatable, CustomStringConvertible, Sendable {
    case malformedJSON(detail: String)
    case unknownField(field: String)
    case missingField(field: String)
    case wrongType(field: String, expected: String)
    case invalidValue(field: String, reason: String)

    public var field: String {
        switch self {
        case .malformedJSON: "body"
        case .unknownField(let field), .missingField(let field), .wrongType(let field, _),
             .invalidValue(let field, _): field
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let detail): "malformed JSON: \(detail)"
        case .unknownField(let field): "unknown field '\(field)'"
        case .missingField(let field): "missing field '\(field)'"
        case .wrongType(let field, let expected): "field '\(field)' must be \(expected)"
        case .invalidValue(let field, let reason): "\(field): \(reason)"
        }
    }
}

/// Decodes wire types and refuses what `JSONDecoder` lets through silently: keys that the type
/// does not know. It decodes, re-encodes the value with `WireJSON`, and reports the first key of
/// the input that the re-encoded form lacks (a key holding `null` is accepted, being how JSON
/// spells an absent optional).
///
/// That check is three more passes over the document, and whether a key is known depends only
/// on the type and the key's path; so a document whose key shape (`JSONKeyShape`) already
/// passed for the type is only decoded. Workers send the same few shapes over and over.
public enum StrictJSONDecoder {
    /// Key shapes that passed, per type; bounded, so a flood of new shapes only costs the check.
    private static let passedShapes = Mutex<[ObjectIdentifier: Set<String>]>([:])
    private static let maxShapesPerType = 1024

    public static func decode<T: Codable>(_ type: T.Type, from data: Data) throws(WireDecodingError) -> T {
        let type = ObjectIdentifier(T.self)
        let shape = data.withUnsafeBytes { JSONKeyShape.of($0) }
        if let shape, passedShapes.withLock({ $0[type]?.contains(shape) ?? false }) {
            return try decodeOnly(T.self, from: data)
        }
        let value = try decodeChecked(T.self, from: data)
        if let shape {
            passedShapes.withLock { shapes in
                if shapes[type, default: []].count < maxShapesPerType { shapes[type, default: []].insert(shape) }
            }
        }
        return value
    }

    private static func decodeOnly<T: Codable>(_ type: T.Type, from data: Data) throws(WireDecodingError) -> T {
        do {
            return try WireJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw translate(error)
        } catch {
            throw .malformedJSON(detail: "\(error)")
        }
    }

    /// Decode, then find keys the type does not know by re-encoding the value.
    private static func decodeChecked<T: Codable>(_ type: T.Type, from data: Data) throws(WireDecodingError) -> T {
        let raw: Any
        do {
            raw = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .malformedJSON(detail: describeSerializationError(error))
        }
        let value = try decodeOnly(T.self, from: data)
        let reencoded: Any
        do {
            reencoded = try JSONSerialization.jsonObject(
                with: try WireJSON.encoder().encode(value), options: [.fragmentsAllowed])
        } catch {
            throw .malformedJSON(detail: "cannot re-encode \(T.self): \(error)")
        }
        if let unknown = firstUnknownKey(input: raw, known: reencoded, path: "") {
            throw .unknownField(field: unknown)
        }
        return value
    }

    private static func firstUnknownKey(input: Any, known: Any, path: String) -> String? {
        if let inputObject = input as? [String: Any] {
            let knownObject = known as? [String: Any] ?? [:]
            for key in inputObject.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let knownChild = knownObject[key] else {
                    if inputObject[key] is NSNull { continue }
                    // A key whose value is a dictionary may be a map (`[String: X]`): its keys
                    // re-encode as they came, so reaching here means the key is truly unknown.
                    return child
                }
                if let found = firstUnknownKey(input: inputObject[key]!, known: knownChild, path: child) {
                    return found
                }
            }
        } else if let inputArray = input as? [Any], let knownArray = known as? [Any] {
            for (index, element) in inputArray.enumerated() where index < knownArray.count {
                if let found = firstUnknownKey(input: element, known: knownArray[index], path: "\(path)[\(index)]") {
                    return found
                }
            }
        }
        return nil
    }

    private static func translate(_ error: DecodingError) -> WireDecodingError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(field: fieldPath(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            return .wrongType(field: fieldPath(context.codingPath), expected: describe(type))
        case .valueNotFound(let type, let context):
            return .wrongType(field: fieldPath(context.codingPath), expected: describe(type))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .malformedJSON(detail: context.debugDescription)
            }
            return .invalidValue(field: fieldPath(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .malformedJSON(detail: "\(error)")
        }
    }

    /// Dotted path in wire spelling (the coding keys are the snake_case wire names), array
    /// elements as `[i]`.
    static func fieldPath(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += (path.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return path.isEmpty ? "body" : path
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object (\(type))"
        }
    }

    private static func describeSerializationError(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
