/// The two sizing loops the wheel's niah, vt, cwe and qa generators run, in RULER's order of draws.
enum RULERSizing {
    /// The haystack size: from `incremental` up in steps of `incremental`, each probe a whole
    /// sample drawn as RULER draws it, until a probe's `probe(size)` tokens plus `fixed` (tokens to
    /// generate, and vt's example) pass `maxSeqLength` (then one step back). RULER's loop:
    ///
    ///     total = 0; n = incremental
    ///     while total + fixed < max:
    ///         total = probe(n)
    ///         if total + fixed > max: n -= incremental; break
    ///         [capBeforeStep: if n > cap: n = cap; break]
    ///         n += incremental
    ///         [capAfterStep: if n > cap: n = cap; break]
    ///
    /// A probe landing exactly on `maxSeqLength` ends the loop after its step, as RULER's does.
    static func grow(incremental: Int, maxSeqLength: Int, fixed: Int, capBeforeStep: Int? = nil, capAfterStep: Int? = nil,
                     probe: (Int) throws(RULERError) -> Int) throws(RULERError) -> Int {
        var n = incremental
        var total = 0
        while total + fixed < maxSeqLength {
            total = try probe(n)
            if total + fixed > maxSeqLength { n -= incremental; break }
            if let cap = capBeforeStep, n > cap { n = cap; break }
            n += incremental
            if let cap = capAfterStep, n > cap { n = cap; break }
        }
        return n
    }

    /// One sample: generate at `start`, shrinking by `incremental` while the prompt is too long or
    /// the attempt failed in a way RULER's bare `except:` catches (`attempt` returns nil). RULER
    /// retries forever at the smallest size, with new draws each time; this gives up after 100 tries.
    static func fittingSample(task: String, start: Int, incremental: Int, maxSeqLength: Int,
                              attempt: (Int) throws(RULERError) -> (text: String, answer: [String], length: Int)?)
        throws(RULERError) -> (text: String, answer: [String], length: Int) {
        var used = start
        var lastLength = 0
        var triesAtFloor = 0
        while true {
            if let sample = try attempt(used) {
                if sample.length <= maxSeqLength { return sample }
                lastLength = sample.length
            }
            if used > incremental { used -= incremental } else {
                triesAtFloor += 1
                if triesAtFloor > 100 {
                    throw .cannotFit(task: task, maxSeqLength: maxSeqLength, haystack: used, length: lastLength)
                }
            }
        }
    }
}
