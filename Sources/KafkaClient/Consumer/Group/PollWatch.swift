/// The Java client's `max.poll.interval.ms` for a consumer read as an
/// AsyncSequence: an application that neither takes a message nor waits for one
/// for longer than the limit is stuck, and its member leaves the group so the
/// partitions move to members that make progress.
struct PollWatch: Sendable {
    private var last: ConsumerState.PollSignature?
    private var since: ContinuousClock.Instant

    init(now: ContinuousClock.Instant) {
        since = now
    }

    /// True when `signature` has not moved, and the application was not waiting, for longer than `limit`.
    mutating func isStalled(_ signature: ConsumerState.PollSignature, now: ContinuousClock.Instant, limit: Duration) -> Bool {
        if signature.isWaiting || signature != last {
            last = signature
            since = now
            return false
        }
        return since.duration(to: now) > limit
    }
}
