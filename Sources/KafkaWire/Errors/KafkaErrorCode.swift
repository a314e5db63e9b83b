/// An error code carried in a Kafka response (the protocol's `error_code` fields).
///
/// A thin wrapper over the `Int16` on the wire. Every code the protocol defines
/// has a named constant (`.notLeaderOrFollower`, `.topicAlreadyExists`, ...) with
/// its protocol name, a short message and whether the Java client treats it as
/// retriable. Codes this table does not know still round-trip unchanged and
/// report themselves as `UNKNOWN(code)`.
/// It is an `Error` too, so code that answers with codes (a test broker, say) can use `Result`.
public struct KafkaErrorCode: Error, Hashable, Sendable, CustomStringConvertible {
    /// The code as it appears on the wire.
    public let rawValue: Int16

    /// Wraps a code read from the wire; any value is accepted.
    @inlinable
    public init(_ rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// Wraps a code read from the wire; any value is accepted.
    @inlinable
    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// The table entry for this code, or nil for a code the table does not know.
    var info: Info? {
        let index = Int(rawValue) - Int(Info.firstCode)
        guard index >= 0, index < Self.table.count else { return nil }
        return Self.table[index]
    }

    /// True for a code this table defines.
    public var isKnown: Bool { info != nil }

    /// True for every code except `NONE` (0).
    @inlinable
    public var isError: Bool { rawValue != 0 }

    /// The protocol name (for example `NOT_LEADER_OR_FOLLOWER`), or `UNKNOWN(code)`.
    public var name: String { info?.name ?? "UNKNOWN(\(rawValue))" }

    /// Whether retrying the same request later may succeed (after refreshing
    /// metadata or finding the coordinator again, as the code suggests).
    /// Unknown codes are not retriable.
    public var isRetriable: Bool { info?.isRetriable ?? false }

    /// A one-sentence explanation of the code.
    public var message: String {
        info?.message ?? "The broker returned error code \(rawValue), which this client does not know."
    }

    /// Looks up a known code by its protocol name (for example `"TOPIC_ALREADY_EXISTS"`).
    public init?(name: String) {
        guard let index = Self.table.firstIndex(where: { $0.name == name }) else { return nil }
        self.rawValue = Int16(index) + Info.firstCode
    }

    /// Every code this table defines, in numeric order.
    public static var allKnown: [KafkaErrorCode] {
        Self.table.indices.map { KafkaErrorCode(Int16($0) + Info.firstCode) }
    }

    /// `NAME (code)`, for logs.
    public var description: String { "\(name) (\(rawValue))" }
}
