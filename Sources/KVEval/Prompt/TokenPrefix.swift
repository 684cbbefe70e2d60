/// Where two tokenizations of texts that start alike stop agreeing: a prompt's split point
/// (context | question) is the last token both the whole prompt and its head encode the same.
public enum TokenPrefix {
    /// How many leading ids `a` and `b` share.
    public static func sharedLength(_ a: [Int32], _ b: [Int32]) -> Int {
        var n = 0
        while n < min(a.count, b.count), a[n] == b[n] { n += 1 }
        return n
    }
}
