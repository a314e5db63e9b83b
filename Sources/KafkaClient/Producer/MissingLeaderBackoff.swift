/// When the producer next asks for metadata while partitions it has records for
/// have no known leader: at once the first time, then after `retry.backoff.ms`
/// growing to `retry.backoff.max.ms` (KIP-580), so a leader election or a topic
/// being created is not met with a request storm. Reset once every leader is known.
struct MissingLeaderBackoff {
    private(set) var attempts = 0
    private(set) var nextRefresh: ContinuousClock.Instant?

    func isDue(now: ContinuousClock.Instant) -> Bool {
        nextRefresh.map { $0 <= now } ?? true
    }

    /// A refresh was made; the next waits `delay(attempts)`.
    mutating func refreshed(now: ContinuousClock.Instant, delay: (Int) -> Duration) {
        attempts += 1
        nextRefresh = now.advanced(by: delay(attempts))
    }

    mutating func reset() {
        attempts = 0
        nextRefresh = nil
    }
}
