/// GPT-2's reversible byte ↔ printable-character mapping used by byte-level BPE vocabularies.
enum ByteLevel {
    /// byte → mapped scalar
    static let encode: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var extra: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(extra)!
                extra += 1
            }
        }
        return table
    }()

    /// mapped scalar value → byte
    static let decode: [UInt32: UInt8] = {
        var d: [UInt32: UInt8] = [:]
        for (b, s) in encode.enumerated() { d[s.value] = UInt8(b) }
        return d
    }()

    /// The mapped form of a UTF-8 byte sequence.
    static func mapped<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(encode[Int(b)]) }
        return String(s)
    }
}
