extension Duration {
    /// The duration in whole milliseconds for the protocol's `...Ms` fields and
    /// `poll(2)`: a sub-millisecond remainder rounds up (a timeout is never cut
    /// short, and a positive one never becomes 0, which often means "no wait"),
    /// a negative duration is 0, and one too long for `Int64` is `Int64.max`.
    package var wholeMillisecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, seconds > 0 || attoseconds > 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return .max }
        // attoseconds is in 0..<1e18 for a non-negative duration: at most 1000 more.
        let (total, carried) = whole.addingReportingOverflow((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        return carried ? .max : total
    }

    /// `wholeMillisecondsRoundedUp` clamped to `Int32.max`, the width of most
    /// timeout fields (about 24.8 days).
    package var int32MillisecondsRoundedUp: Int32 { Int32(clamping: wholeMillisecondsRoundedUp) }
}

extension Duration {
    /// The duration in whole nanoseconds (truncated), for timers and `DispatchTime`.
    package var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
