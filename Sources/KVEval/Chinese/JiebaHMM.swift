import Foundation

/// jieba 0.42.1 `finalseg`: the B/M/E/S HMM that segments runs of characters the dictionary
/// does not cover, with its Viterbi tie rules (Python `max` over (prob, state) tuples).
struct JiebaHMM: Sendable {
    // State indices in jieba's 'BMES' order.
    static let B = 0, M = 1, E = 2, S = 3
    static let names: [Character] = ["B", "M", "E", "S"]
    /// PrevStatus = {'B': 'ES', 'M': 'MB', 'S': 'SE', 'E': 'BM'}
    static let prev: [[Int]] = [[E, S], [M, B], [B, M], [S, E]]
    static let minFloat = -3.14e100

    let start: [Double]
    /// trans[from][to], `MIN_FLOAT` where absent.
    let trans: [[Double]]
    let emit: [[Unicode.Scalar: Double]]

    init(path: String) throws(JiebaError) {
        guard let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .invalidHMM(file: path, field: "")
        }
        func stateMap(_ field: String) throws(JiebaError) -> [String: Any] {
            guard let m = root[field] as? [String: Any] else { throw .invalidHMM(file: path, field: field) }
            return m
        }
        func num(_ v: Any?, _ field: String) throws(JiebaError) -> Double {
            guard let n = v as? NSNumber else { throw .invalidHMM(file: path, field: field) }
            return n.doubleValue
        }
        let s = try stateMap("start"), t = try stateMap("trans"), e = try stateMap("emit")
        var start: [Double] = [], trans: [[Double]] = [], emit: [[Unicode.Scalar: Double]] = []
        for from in Self.names {
            let key = String(from)
            start.append(try num(s[key], "start.\(key)"))
            guard let row = t[key] as? [String: Any] else { throw .invalidHMM(file: path, field: "trans.\(key)") }
            var r: [Double] = []
            for to in Self.names {
                if let v = row[String(to)] { r.append(try num(v, "trans.\(key).\(to)")) } else { r.append(Self.minFloat) }
            }
            trans.append(r)
            guard let em = e[key] as? [String: Any] else { throw .invalidHMM(file: path, field: "emit.\(key)") }
            var m: [Unicode.Scalar: Double] = [:]
            for (ch, v) in em {
                let scalars = Array(ch.unicodeScalars)
                guard scalars.count == 1 else { throw .invalidHMM(file: path, field: "emit.\(key).\(ch)") }
                m[scalars[0]] = try num(v, "emit.\(key).\(ch)")
            }
            emit.append(m)
        }
        self.start = start; self.trans = trans; self.emit = emit
    }

    /// `viterbi(obs, 'BMES', …)` → the state sequence.
    func viterbi(_ obs: PyStr) -> [Int] {
        let n = obs.count
        var v = [Double](repeating: 0, count: 4)
        var back: [[Int]] = []
        for y in 0..<4 { v[y] = start[y] + (emit[y][obs[0]] ?? Self.minFloat) }
        if n > 1 {
            for t in 1..<n {
                var nv = [Double](repeating: 0, count: 4)
                var bp = [Int](repeating: 0, count: 4)
                for y in 0..<4 {
                    let em = emit[y][obs[t]] ?? Self.minFloat
                    var best = -Double.infinity, bestState = -1
                    for y0 in Self.prev[y] {
                        let p = v[y0] + trans[y0][y] + em
                        // Python max over (prob, state): higher prob, then the later letter.
                        if bestState < 0 || p > best || (p == best && Self.names[y0] > Self.names[bestState]) {
                            best = p; bestState = y0
                        }
                    }
                    nv[y] = best; bp[y] = bestState
                }
                v = nv
                back.append(bp)
            }
        }
        // max((V[-1][y], y) for y in 'ES')
        var state = v[Self.S] > v[Self.E] || (v[Self.S] == v[Self.E]) ? Self.S : Self.E
        var path = [Int](repeating: 0, count: n)
        path[n - 1] = state
        var t = n - 1
        while t > 0 {
            state = back[t - 1][state]
            path[t - 1] = state
            t -= 1
        }
        return path
    }

    /// finalseg `__cut`.
    func cutHan(_ s: PyStr) -> [PyStr] {
        let pos = viterbi(s)
        var out: [PyStr] = []
        var begin = 0, next = 0
        for i in 0..<s.count {
            switch pos[i] {
            case Self.B: begin = i
            case Self.E: out.append(Array(s[begin...i])); next = i + 1
            case Self.S: out.append([s[i]]); next = i + 1
            default: break
            }
        }
        if next < s.count { out.append(Array(s[next...])) }
        return out
    }

    static func isHan(_ c: Unicode.Scalar) -> Bool { c.value >= 0x4E00 && c.value <= 0x9FD5 }
    static func isAlnumASCII(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }

    /// finalseg `cut`: han runs through the HMM; other text split by
    /// `([a-zA-Z0-9]+(?:\.\d+)?%?)`, non-empty pieces kept.
    func cut(_ s: PyStr) -> [PyStr] {
        var out: [PyStr] = []
        for (isHanBlock, blk) in JiebaText.split(s, where: Self.isHan) {
            if isHanBlock {
                out += cutHan(blk)
                continue
            }
            var i = 0, pending: PyStr = []
            while i < blk.count {
                if Self.isAlnumASCII(blk[i]) {
                    var j = i
                    while j < blk.count, Self.isAlnumASCII(blk[j]) { j += 1 }
                    if j < blk.count, blk[j] == ".", j + 1 < blk.count, PyText.isDecimal(blk[j + 1]) {
                        j += 1
                        while j < blk.count, PyText.isDecimal(blk[j]) { j += 1 }
                    }
                    if j < blk.count, blk[j] == "%" { j += 1 }
                    if !pending.isEmpty { out.append(pending); pending = [] }
                    out.append(Array(blk[i..<j]))
                    i = j
                } else {
                    pending.append(blk[i]); i += 1
                }
            }
            if !pending.isEmpty { out.append(pending) }
        }
        return out
    }
}

enum JiebaText {
    /// `re.split("([class]+)", s)` as (isMatch, block) pairs, empty blocks dropped.
    static func split(_ s: PyStr, where inClass: (Unicode.Scalar) -> Bool) -> [(Bool, PyStr)] {
        var out: [(Bool, PyStr)] = []
        var cur: PyStr = []
        var curIn = false
        for c in s {
            let isIn = inClass(c)
            if !cur.isEmpty && isIn != curIn { out.append((curIn, cur)); cur = [] }
            curIn = isIn
            cur.append(c)
        }
        if !cur.isEmpty { out.append((curIn, cur)) }
        return out
    }
}
