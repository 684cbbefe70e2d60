/// The two sizing loops every RULER generator runs, in RULER's order of draws.
enum RULERSizing {
    /// The binary search for the largest haystack size in `incremental…upper` whose prompt
    /// (`total(size)` tokens, generation budget included) fits `maxSeqLength`; `incremental` when
    /// none does. Each probe generates a whole sample, consuming random state as RULER does.
    static func largestFitting(incremental: Int, upper: Int, maxSeqLength: Int,
                               total: (Int) throws(RULERError) -> Int) throws(RULERError) -> Int {
        var lower = incremental, upper = upper
        var optimal: Int?
        while lower <= upper {
            let mid = (lower + upper) / 2
            if try total(mid) <= maxSeqLength { optimal = mid; lower = mid + 1 } else { upper = mid - 1 }
        }
        return optimal ?? incremental
    }

    /// One sample: generate at `start`, shrinking by `incremental` while the prompt is too long or
    /// the attempt failed in a way RULER's `except:` catches (`attempt` returns nil). RULER retries
    /// forever at the smallest size, with new draws each time; this gives up after 100 tries.
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
