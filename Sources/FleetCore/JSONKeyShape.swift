/// The key structure of a JSON document, read straight from its bytes: every object as its
/// sorted `key:shape` entries (`key=null` when the value is null), every array as the sorted
/// distinct shapes of its elements, scalars as nothing. Two documents with the same shape have
/// the same keys at the same paths, so a strict decoder that accepted one accepts the other.
/// nil when the scan gives up (a key with an escape, malformed input): callers then do the
/// full check.
enum JSONKeyShape {
    static func of(_ bytes: UnsafeRawBufferPointer) -> String? {
        var scanner = Scanner(bytes: bytes)
        guard let shape = scanner.value(depth: 0) else { return nil }
        scanner.skipWhitespace()
        return scanner.index == bytes.count ? shape : nil
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) -> String? {
            skipWhitespace()
            guard index < bytes.count, depth < 64 else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return skipString() ? "" : nil
            default: return scalar() ? "" : nil
            }
        }

        /// Numbers, true, false, null: up to the next delimiter (JSONDecoder validates them).
        mutating func scalar() -> Bool {
            let start = index
            while index < bytes.count,
                  ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            return index > start
        }

        mutating func skipString() -> Bool {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""): index += 1; return true
                default: index += 1
                }
            }
            return false
        }

        /// A key without escapes (anything else gives up the scan).
        mutating func key() -> String? {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            index += 1
            return key
        }

        mutating func object(depth: Int) -> String? {
            index += 1
            var entries: [(String, String)] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return "{}" }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = key() else { return nil }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                let isNull = bytes.count - index >= 4 && bytes[index] == UInt8(ascii: "n")
                guard let child = value(depth: depth + 1) else { return nil }
                entries.append((key, isNull ? "\(key.utf8.count):\(key)=null" : "\(key.utf8.count):\(key):\(child)"))
                guard let more = next(closing: "}") else { return nil }
                if !more { break }
            }
            return "{" + entries.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: ",") + "}"
        }

        mutating func array(depth: Int) -> String? {
            index += 1
            var shapes = Set<String>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return "[]" }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                shapes.insert(element)
                guard let more = next(closing: "]") else { return nil }
                if !more { break }
            }
            return "[" + shapes.sorted().joined(separator: ",") + "]"
        }

        /// After a member: true past a comma (another follows), false past `closing`, nil otherwise.
        mutating func next(closing: Unicode.Scalar) -> Bool? {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; return true }
            guard bytes[index] == UInt8(ascii: closing) else { return nil }
            index += 1
            return false
        }
    }
}
