import FleetCore
import Foundation

/// Prints wire types as JSON on stdout (snake_case keys, sorted).
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let data = try WireJSON.encoder().encode(value)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
