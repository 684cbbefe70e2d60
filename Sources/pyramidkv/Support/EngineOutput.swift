import Foundation

/// Prints a value as one JSON document on stdout (sorted keys, so output is diffable).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Reads a whole text file, naming it in the error.
func readTextFile(_ path: String, option: String) throws -> String {
    do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw InputError.badInput(option: option, value: path, reason: "cannot read: \(error.localizedDescription)")
    }
}

/// Errors in command-line input, naming the option and the value.
enum InputError: Error, CustomStringConvertible {
    case badInput(option: String, value: String, reason: String)
    var description: String {
        switch self {
        case let .badInput(option, value, reason): return "\(option) \(value): \(reason)"
        }
    }
}
