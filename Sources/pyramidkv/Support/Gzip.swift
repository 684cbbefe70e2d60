import CZlib
import Foundation

/// gzip files through zlib's gzFile API (export files are `.jsonl.gz`; `gunzip` reads them).
enum Gzip {
    static func write(_ text: String, to path: String) throws(CLIError) {
        guard let file = gzopen(path, "wb9") else { throw CLIError("cannot create \(path)") }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let chunk = min(1 << 20, bytes.count - offset)
            let written = bytes.withUnsafeMutableBytes { gzwrite(file, $0.baseAddress! + offset, UInt32(chunk)) }
            guard written == chunk else {
                gzclose(file)
                throw CLIError("cannot write \(path) (disk full?)")
            }
            offset += chunk
        }
        guard gzclose(file) == Z_OK else { throw CLIError("cannot finish \(path) (disk full?)") }
    }

    /// The whole file, decompressed (a plain file reads as is: gzread passes it through).
    static func read(_ path: String) throws(CLIError) -> Data {
        guard FileManager.default.fileExists(atPath: path), let file = gzopen(path, "rb") else {
            throw CLIError("cannot open \(path)")
        }
        defer { gzclose(file) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress!, UInt32($0.count)) }
            if count < 0 { throw CLIError("\(path): not a readable gzip file (corrupt or truncated)") }
            if count == 0 { break }
            data.append(buffer, count: Int(count))
        }
        return data
    }
}
