import Foundation

/// How often and how long a failing handler is retried: by default 3 retries
/// after 1 s, 2 s and 4 s, then the record goes to the dead-letter topic.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// The delay before the first retry.
    public var initialBackoff: Duration
    /// Each further delay is the previous one times this.
    public var multiplier: Double

    /// Up to `maxRetries` retries, waiting `initialBackoff`, then that times `multiplier` each time.
    public init(maxRetries: Int = 3, initialBackoff: Duration = .seconds(1), multiplier: Double = 2) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
    }

    /// The delay before retry `retry` (1 for the first).
    public func delay(beforeRetry retry: Int) -> Duration {
        initialBackoff * pow(multiplier, Double(max(0, retry - 1)))
    }
}
