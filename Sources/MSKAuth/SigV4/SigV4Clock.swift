import Foundation

/// The source of the signing time, injectable so signatures are reproducible.
public struct SigV4Clock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that calls `now` for the current time.
    public init(_ now: @escaping @Sendable () -> Date) {
        self.read = now
    }

    /// The current time according to this clock.
    public func now() -> Date { read() }

    /// The system wall clock.
    public static var system: SigV4Clock { SigV4Clock { Date() } }

    /// A clock that always reads `date` (for tests and reproducible signatures).
    public static func fixed(_ date: Date) -> SigV4Clock { SigV4Clock { date } }
}
