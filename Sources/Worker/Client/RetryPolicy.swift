/// Exponential backoff with jitter for calls that did not reach the coordinator.
public struct RetryPolicy: Sendable {
    /// Total tries, the first included.
    public var maxAttempts: Int
    public var initialDelaySeconds: Double
    public var maxDelaySeconds: Double

    public init(maxAttempts: Int = 10, initialDelaySeconds: Double = 0.2, maxDelaySeconds: Double = 10) {
        self.maxAttempts = maxAttempts
        self.initialDelaySeconds = initialDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
    }

    /// Retries forever (a worker outliving a coordinator restart).
    public static let patient = RetryPolicy(maxAttempts: .max, initialDelaySeconds: 0.2, maxDelaySeconds: 15)
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Delay before try `attempt + 1` (attempt counts from 1): doubling, capped, with ±25 % jitter.
    public func delay(afterAttempt attempt: Int) -> Double {
        let base = min(maxDelaySeconds, initialDelaySeconds * Double(1 << min(max(attempt - 1, 0), 30)))
        return base * Double.random(in: 0.75...1.25)
    }
}
