import KafkaWire

/// A topic's id (KIP-516): 128 bits the cluster assigns when it creates the topic.
/// Unlike a name, an id is never reused, so a topic deleted and created again under
/// the same name has a new one.
public struct KafkaTopicID: Sendable, Hashable, CustomStringConvertible {
    /// The id as the protocol carries it.
    package var uuid: KafkaUUID

    package init(_ uuid: KafkaUUID) {
        self.uuid = uuid
    }

    /// Parses the canonical `8-4-4-4-12` hex form `description` prints; nil for anything else.
    public init?(_ string: String) {
        guard let uuid = KafkaUUID(string) else { return nil }
        self.uuid = uuid
    }

    /// No topic's id (all zero bits): what brokers that predate topic ids report.
    public static let zero = KafkaTopicID(.zero)

    /// The canonical `8-4-4-4-12` hex form.
    public var description: String { uuid.description }
}
