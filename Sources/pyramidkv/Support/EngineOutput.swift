import Foundation

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
