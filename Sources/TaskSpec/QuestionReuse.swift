/// `questions: k` (multi-question reuse): one context, k questions asked in turn, each on a copy
/// of the same compressed cache, each scored as its own sample. Serving compresses a context once
/// and answers many requests; query-aware policies picked the kept tokens for one of them.
/// - with `question: aware`, the cache is compressed for the lead (first) question's prompt, as
///   the reference drivers compress; each later question drops the lead question's rows and is
///   prefilled into that cache at the positions after the context;
/// - with `question: after-compression`, the context alone is compressed and every question is
///   prefilled into it.
/// The samples are the lead records and their follow-ups (RULER's several-needle niah tasks:
/// `ruler generate --questions k`); a job without `questions` runs each follow-up as a fresh
/// prompt compressed with its own question, the paired baseline.
public enum QuestionReuse {
    /// Questions per context a job may ask.
    public static let range = 2...16

    /// "questions '1': …" for a count outside `range`.
    public static func validate(_ k: Int) throws(TaskSpecError) {
        guard range.contains(k) else {
            throw TaskSpecError(field: "questions", value: "\(k)",
                                reason: "must be \(range.lowerBound)…\(range.upperBound) (leave it out for one question per context)")
        }
    }

    /// The words a table title adds ("" for one question per context).
    public static func titleSuffix(questions: Int?, timing: QuestionTiming) -> String {
        guard let k = questions, k > 1 else { return "" }
        return timing == .aware ? ", \(k) questions on the cache compressed for the first"
            : ", \(k) questions per compressed context"
    }
}
