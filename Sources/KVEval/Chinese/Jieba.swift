import Foundation
import KVEngine
import Assets

/// A port of jieba 0.42.1 `jieba.cut(sentence, cut_all=False, HMM=True)` (the default
/// tokenizer), loading jieba's own dict.txt and finalseg probabilities (tools/fetch_jieba.py).
public final class Jieba: Sendable {
    /// `FREQ`: every word's frequency, and every prefix of a word with 0 when not itself a word.
    let freq: [PyStr: Int]
    let total: Int
    let logTotal: Double
    let hmm: JiebaHMM

    public static let version = "0.42.1"

    /// `$PYRAMIDKV_JIEBA_DIR`, else `$PYRAMIDKV_HOME/jieba-0.42.1` (where scripts/fetch-assets puts it).
    public static var defaultDirectory: String {
        if let d = ProcessInfo.processInfo.environment["PYRAMIDKV_JIEBA_DIR"], !d.isEmpty { return d }
        return (DefaultAssets.home as NSString).appendingPathComponent("jieba-\(version)")
    }

    /// The process-wide instance the Chinese metrics use, loaded on first use.
    public static let shared: Result<Jieba, JiebaError> = Result { () throws(JiebaError) -> Jieba in
        try Jieba(directory: defaultDirectory)
    }

    public init(directory: String) throws(JiebaError) {
        let dictPath = (directory as NSString).appendingPathComponent("dict.txt")
        let hmmPath = (directory as NSString).appendingPathComponent("hmm.json")
        guard let data = FileManager.default.contents(atPath: dictPath),
              FileManager.default.fileExists(atPath: hmmPath) else { throw .dataMissing(directory: directory) }
        var freq: [PyStr: Int] = [:]
        freq.reserveCapacity(600_000)
        var total = 0
        var lineNo = 0
        var start = data.startIndex
        while start < data.endIndex {
            lineNo += 1
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            var lo = start, hi = end
            // bytes.strip(): ASCII whitespace
            func isWS(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
            while lo < hi, isWS(data[lo]) { lo += 1 }
            while hi > lo, isWS(data[hi - 1]) { hi -= 1 }
            let line = String(decoding: data[lo..<hi], as: UTF8.self)
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, let f = Int(parts[1]) else {
                throw .invalidDictionaryLine(file: dictPath, line: lineNo, text: line)
            }
            let word = Array(parts[0].unicodeScalars)
            freq[word] = f
            total += f
            if word.count > 1 {
                for k in 1..<word.count {
                    let prefix = Array(word[..<k])
                    if freq[prefix] == nil { freq[prefix] = 0 }
                }
            }
            start = end == data.endIndex ? end : data.index(after: end)
        }
        self.freq = freq
        self.total = total
        self.logTotal = log(Double(total))
        self.hmm = try JiebaHMM(path: hmmPath)
    }

    static func isHanDefault(_ c: Unicode.Scalar) -> Bool {
        // [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]
        JiebaHMM.isHan(c) || JiebaHMM.isAlnumASCII(c) || "+#&._%-".unicodeScalars.contains(c)
    }

    /// `jieba.cut(sentence)` (accurate mode, HMM on).
    public func cut(_ sentence: String) -> [String] { cut(PyText.str(sentence)).map(PyText.string) }

    func cut(_ s: PyStr) -> [PyStr] {
        var out: [PyStr] = []
        for (isHan, blk) in JiebaText.split(s, where: Self.isHanDefault) {
            if isHan {
                out += cutDAG(blk)
                continue
            }
            // re_skip_default "(\r\n|\s)": each separator alone, every other char alone.
            var i = 0
            while i < blk.count {
                if blk[i] == "\r", i + 1 < blk.count, blk[i + 1] == "\n" { out.append(["\r", "\n"]); i += 2; continue }
                out.append([blk[i]]); i += 1
            }
        }
        return out
    }

    func dag(_ s: PyStr) -> [[Int]] {
        let n = s.count
        var dag: [[Int]] = []
        dag.reserveCapacity(n)
        for k in 0..<n {
            var list: [Int] = []
            var i = k
            var frag: PyStr = [s[k]]
            while i < n, let f = freq[frag] {
                if f != 0 { list.append(i) }
                i += 1
                frag = Array(s[k..<min(i + 1, n)])
            }
            if list.isEmpty { list.append(k) }
            dag.append(list)
        }
        return dag
    }

    func route(_ s: PyStr, _ dag: [[Int]]) -> [Int] {
        let n = s.count
        var prob = [Double](repeating: 0, count: n + 1)
        var next = [Int](repeating: 0, count: n + 1)
        var idx = n - 1
        while idx >= 0 {
            var best = -Double.infinity, bestX = -1
            for x in dag[idx] {
                let f = freq[Array(s[idx...x])] ?? 0
                let p = (log(Double(f == 0 ? 1 : f)) - logTotal) + prob[x + 1]
                if bestX < 0 || p > best || (p == best && x > bestX) { best = p; bestX = x }
            }
            prob[idx] = best; next[idx] = bestX
            idx -= 1
        }
        return next
    }

    /// `__cut_DAG`.
    func cutDAG(_ s: PyStr) -> [PyStr] {
        let r = route(s, dag(s))
        var out: [PyStr] = []
        var buf: PyStr = []
        func flush() {
            if buf.isEmpty { return }
            if buf.count == 1 {
                out.append(buf)
            } else if (freq[buf] ?? 0) == 0 {
                out += hmm.cut(buf)
            } else {
                for c in buf { out.append([c]) }
            }
            buf = []
        }
        var x = 0
        while x < s.count {
            let y = r[x] + 1
            if y - x == 1 {
                buf.append(s[x])
            } else {
                flush()
                out.append(Array(s[x..<y]))
            }
            x = y
        }
        flush()
        return out
    }
}
