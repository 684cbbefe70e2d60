/// kvpress 0.5.5 `ExpectedAttentionPress` defaults (the values its fixture was made with).
public enum ExpectedAttentionDefaults {
    /// Leading tokens always kept and left out of the query statistics.
    public static let sinks = 4
    /// Future positions the averaged RoPE rotation covers (n … n + 511).
    public static let futurePositions = 512
}
