// LongBench metrics.py `classification_score` (trec, lsht), including its list mutation while
// iterating: Python's list iterator advances an index, and `list.remove` deletes the FIRST equal
// element, so the element after a removed one is skipped.

enum Classification {
    static func score(_ prediction: PyStr, _ groundTruth: PyStr, allClasses: [PyStr]) -> Double {
        var matches: [PyStr] = allClasses.filter { PyText.contains(prediction, $0) }
        var index = 0
        while index < matches.count {
            let term = matches[index]
            if PyText.contains(groundTruth, term) && term != groundTruth {
                if let first = matches.firstIndex(of: term) { matches.remove(at: first) }
            }
            index += 1
        }
        if matches.contains(groundTruth) { return 1.0 / Double(matches.count) }
        return 0.0
    }
}
