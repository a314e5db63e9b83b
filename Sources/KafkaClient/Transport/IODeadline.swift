/// A point in time an operation must finish by, or none.
struct IODeadline: Sendable {
    let instant: ContinuousClock.Instant?

    /// A deadline `timeout` from now; nil never expires.
    init(after timeout: Duration?) {
        instant = timeout.map { ContinuousClock.now.advanced(by: $0) }
    }

    /// The `poll(2)` timeout in milliseconds: -1 for none, otherwise the time left rounded up.
    var pollMilliseconds: Int32 {
        guard let instant else { return -1 }
        return ContinuousClock.now.duration(to: instant).int32MillisecondsRoundedUp
    }
}
