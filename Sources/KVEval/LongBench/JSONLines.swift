import Foundation

/// Reads a JSON Lines file into one JSON object per line, with typed field accessors whose
/// errors name the file, line and field. Blank lines are errors (nothing is skipped); only the
/// empty remainder after a final newline is not a line.
struct JSONLines {
    struct Object {
        let file: String
        let line: Int
        let fields: [String: Any]

        func error(_ field: String?, _ reason: LongBenchDataError.Reason, value: Any? = nil) -> LongBenchDataError {
            LongBenchDataError(file: file, line: line, field: field, value: value.map(Self.excerpt), reason: reason)
        }

        static func excerpt(_ v: Any) -> String {
            let s: String
            if let str = v as? String { s = str.debugDescription } else if v is NSNull { s = "null" } else { s = "\(v)" }
            return s.count > 80 ? String(s.prefix(77)) + "..." : s
        }

        static func typeName(_ v: Any) -> String {
            // Strings first: on Linux a bridged string also casts to Bool ("2" read as "boolean").
            switch v {
            case is NSNull: return "null"
            case is String: return "string"
            case is [Any]: return "array"
            case is [String: Any]: return "object"
            case let n as NSNumber:
                return String(cString: n.objCType) == "c" ? "boolean" : "number"
            case is Bool: return "boolean"
            default: return "\(type(of: v))"
            }
        }

        func raw(_ key: String) throws(LongBenchDataError) -> Any {
            guard let v = fields[key] else { throw error(key, .missingField) }
            return v
        }

        func string(_ key: String) throws(LongBenchDataError) -> String {
            let v = try raw(key)
            guard let s = v as? String else { throw error(key, .wrongType(expected: "string", got: Self.typeName(v)), value: v) }
            return s
        }

        func optionalString(_ key: String) throws(LongBenchDataError) -> String? {
            guard let v = fields[key], !(v is NSNull) else { return nil }
            guard let s = v as? String else { throw error(key, .wrongType(expected: "string", got: Self.typeName(v)), value: v) }
            return s
        }

        func int(_ key: String) throws(LongBenchDataError) -> Int {
            guard let n = try optionalInt(key) else {
                if let v = fields[key] { throw error(key, .wrongType(expected: "integer", got: Self.typeName(v)), value: v) }
                throw error(key, .missingField)
            }
            return n
        }

        func optionalInt(_ key: String) throws(LongBenchDataError) -> Int? {
            guard let v = fields[key], !(v is NSNull) else { return nil }
            guard Self.typeName(v) == "number", let n = v as? NSNumber, let d = Double(exactly: n.doubleValue),
                  d == d.rounded(), abs(d) < 9e15 else {
                throw error(key, .wrongType(expected: "integer", got: Self.typeName(v)), value: v)
            }
            return Int(d)
        }

        func strings(_ key: String) throws(LongBenchDataError) -> [String] {
            let v = try raw(key)
            guard let list = v as? [Any] else { throw error(key, .wrongType(expected: "array of strings", got: Self.typeName(v)), value: v) }
            var out: [String] = []
            for (i, item) in list.enumerated() {
                guard let s = item as? String else {
                    throw error("\(key)[\(i)]", .wrongType(expected: "string", got: Self.typeName(item)), value: item)
                }
                out.append(s)
            }
            return out
        }

        func optionalStrings(_ key: String) throws(LongBenchDataError) -> [String]? {
            guard let v = fields[key], !(v is NSNull) else { return nil }
            return try strings(key)
        }
    }

    static func read(path: String) throws(LongBenchDataError) -> [Object] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LongBenchDataError(file: path, line: 0, reason: .unreadable(error.localizedDescription))
        }
        var out: [Object] = []
        var lineNo = 0
        var start = data.startIndex
        while start < data.endIndex {
            lineNo += 1
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            var lineData = data[start..<end]
            if lineData.last == 0x0D { lineData = lineData.dropLast() }
            start = end == data.endIndex ? end : data.index(after: end)
            guard String(data: lineData, encoding: .utf8) != nil else {
                throw LongBenchDataError(file: path, line: lineNo, reason: .notUTF8)
            }
            let parsed: Any
            do { parsed = try JSONSerialization.jsonObject(with: Data(lineData), options: [.fragmentsAllowed]) } catch {
                let why = lineData.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? "blank line" : "\(error.localizedDescription)"
                throw LongBenchDataError(file: path, line: lineNo, reason: .invalidJSON(why))
            }
            guard let obj = parsed as? [String: Any] else {
                throw LongBenchDataError(file: path, line: lineNo, reason: .notAnObject)
            }
            out.append(Object(file: path, line: lineNo, fields: obj))
        }
        return out
    }
}
