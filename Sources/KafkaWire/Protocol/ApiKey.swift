/// A Kafka API key (`produce` = 0, `fetch` = 1, ...). Named constants for every
/// key in the message specs are in `ApiKey+Generated.swift`; unknown keys are
/// representable too, since brokers may advertise APIs newer than this library.
public struct ApiKey: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    public static func < (lhs: ApiKey, rhs: ApiKey) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String {
        name.map { "\($0)(\(rawValue))" } ?? "ApiKey(\(rawValue))"
    }
}
