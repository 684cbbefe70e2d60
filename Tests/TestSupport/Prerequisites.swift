import Foundation

/// What a multi-process or model test needs before it can run. Missing prerequisites fail the
/// test with this message instead of skipping it, so a green run means the suite really ran.
public struct MissingPrerequisite: Error, CustomStringConvertible {
    public let description: String
}

public enum Prerequisites {
    /// Throws, naming the missing file and the command that makes it, unless it exists.
    public static func require(file path: String, what: String, fix: String) throws(MissingPrerequisite) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingPrerequisite(description: "\(what) is missing at \(path): \(fix)")
        }
    }
}
