/// Exponential reconnect backoff with jitter (`reconnect.backoff.ms`,
/// `reconnect.backoff.max.ms`): after the n-th consecutive failure to reach a
/// broker, wait base * 2^(n-1), capped at the maximum, each spread by ±20% so
/// many clients do not reconnect in lockstep (as the Java client does).
public struct ReconnectBackoff: Sendable, Hashable {
    /// The first delay (`reconnect.backoff.ms`, default 50 ms).
    public var base: Duration
    /// The largest delay (`reconnect.backoff.max.ms`, default 1 s).
    public var maximum: Duration
    /// The relative spread of each delay, 0.2 for ±20%.
    public var jitter: Double

    /// A backoff from `base` doubling up to `maximum`, each delay spread by `jitter` (clamped to 0...1).
    public init(base: Duration = .milliseconds(50), maximum: Duration = .seconds(1), jitter: Double = 0.2) {
        self.base = base
        self.maximum = max(base, maximum)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay after `failures` consecutive failures (none after zero).
    public func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        guard failures > 0 else { return .zero }
        let exponent = min(failures - 1, 30)
        let nominal = min(base.inSeconds * Double(1 << exponent), maximum.inSeconds)
        let factor = jitter > 0 ? Double.random(in: (1 - jitter)...(1 + jitter), using: &generator) : 1
        return .nanoseconds(Int64(nominal * factor * 1e9))
    }
}
