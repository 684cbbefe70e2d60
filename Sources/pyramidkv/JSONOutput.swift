import FleetCore
import Foundation

/// The CLI's one JSON printer: every `--json` answer, engine report and JSONL file the CLI
/// writes goes through here, in the wire's canonical form (`WireJSON`: sorted keys, no
/// whitespace, slashes unescaped), so output is diffable and reads like the API.
enum JSONOutput {
    /// One JSON document on a line of stdout.
    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try line(value))
    }

    /// The JSON text of a value, without a newline (one JSONL record).
    static func line<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WireJSON.encoder().encode(value), as: UTF8.self)
    }
}
