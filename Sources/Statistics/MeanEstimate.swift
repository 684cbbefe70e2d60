/// A sample mean with its bootstrap confidence interval (same scale as the values).
public struct MeanEstimate: Codable, Sendable, Equatable {
    public var mean: Double
    /// Samples behind the mean (for a mean of strata: all samples of all strata).
    public var n: Int
    public var ciLow: Double
    public var ciHigh: Double

    public init(mean: Double, n: Int, ciLow: Double, ciHigh: Double) {
        self.mean = mean
        self.n = n
        self.ciLow = ciLow
        self.ciHigh = ciHigh
    }

    /// The same estimate multiplied by `factor` (scores 0...1 → 0...100).
    public func scaled(by factor: Double) -> MeanEstimate {
        MeanEstimate(mean: mean * factor, n: n, ciLow: ciLow * factor, ciHigh: ciHigh * factor)
    }

    /// Half the interval's width: the "±" of a table cell.
    public var halfWidth: Double { (ciHigh - ciLow) / 2 }
}
