import Foundation

/// One step of an event's journey, as written to the lineage topic: a service
/// produced the event to a topic, consumed it from there, or gave up on it and
/// sent it to a dead-letter topic.
///
/// The record's key is the correlation id, so every hop of a flow lands in one
/// partition in the order it was recorded; the value is this hop as compact JSON.
public struct LineageHop: Sendable, Hashable, Codable {
    /// Whether the event was produced, consumed, or dead-lettered.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A producer wrote the event.
        case produce
        /// A consumer processed the event.
        case consume
        /// A consumer's handler failed for good and the record went to a dead-letter topic.
        case deadLetter = "dead-letter"
    }

    /// Produced, consumed or dead-lettered.
    public var kind: Kind
    /// The event the hop is about.
    public var eventId: UUID
    /// The flow the event belongs to.
    public var correlationId: UUID
    /// The event whose handling produced this one; nil for a flow's first event.
    public var causationId: UUID?
    /// The service that took this hop: the producer for a produce hop, the consumer for the others.
    public var service: String
    /// The service that produced the event (equal to `service` on produce hops).
    public var sourceService: String
    /// The event's type, when known.
    public var eventType: String?
    /// The topic the event was written to or read from.
    public var topic: String
    /// Its partition.
    public var partition: Int32
    /// The record's offset when known: on consume and dead-letter hops, and on produce hops
    /// recorded at delivery.
    public var offset: Int64?
    /// The consumer group, on consume and dead-letter hops.
    public var consumerGroup: String?
    /// Where the record was sent, on dead-letter hops.
    public var deadLetterTopic: String?
    /// The handler's last error's type, on dead-letter hops.
    public var errorClass: String?
    /// When the event was produced, milliseconds since the epoch.
    public var producedAt: Int64
    /// When this hop happened, milliseconds since the epoch.
    public var timestamp: Int64

    /// A hop.
    public init(kind: Kind, eventId: UUID, correlationId: UUID, causationId: UUID? = nil, service: String, sourceService: String,
                eventType: String? = nil, topic: String, partition: Int32, offset: Int64? = nil, consumerGroup: String? = nil,
                deadLetterTopic: String? = nil, errorClass: String? = nil, producedAt: Int64, timestamp: Int64) {
        self.kind = kind
        self.eventId = eventId
        self.correlationId = correlationId
        self.causationId = causationId
        self.service = service
        self.sourceService = sourceService
        self.eventType = eventType
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.consumerGroup = consumerGroup
        self.deadLetterTopic = deadLetterTopic
        self.errorClass = errorClass
        self.producedAt = producedAt
        self.timestamp = timestamp
    }

    /// The produce hop of an event with `lineage`, sent to `topic`'s `partition`.
    public static func produced(_ lineage: LineageMetadata, topic: String, partition: Int32, offset: Int64? = nil) -> LineageHop {
        LineageHop(kind: .produce, eventId: lineage.eventId, correlationId: lineage.correlationId, causationId: lineage.causationId,
                   service: lineage.sourceService, sourceService: lineage.sourceService, eventType: lineage.eventType,
                   topic: topic, partition: partition, offset: offset, producedAt: lineage.producedAt, timestamp: lineage.producedAt)
    }

    /// The consume hop of an event with `lineage`, read by `service` from `topic`.
    public static func consumed(_ lineage: LineageMetadata, by service: String, consumerGroup: String?, topic: String,
                                partition: Int32, offset: Int64, at timestamp: Int64) -> LineageHop {
        LineageHop(kind: .consume, eventId: lineage.eventId, correlationId: lineage.correlationId, causationId: lineage.causationId,
                   service: service, sourceService: lineage.sourceService, eventType: lineage.eventType, topic: topic,
                   partition: partition, offset: offset, consumerGroup: consumerGroup, producedAt: lineage.producedAt,
                   timestamp: timestamp)
    }

    /// The dead-letter hop of an event with `lineage`: `service` read it from `topic` and, its
    /// handler failing with an error of type `errorClass`, sent it to `deadLetterTopic`.
    public static func deadLettered(_ lineage: LineageMetadata, by service: String, consumerGroup: String?, topic: String,
                                    partition: Int32, offset: Int64, deadLetterTopic: String, errorClass: String,
                                    at timestamp: Int64) -> LineageHop {
        LineageHop(kind: .deadLetter, eventId: lineage.eventId, correlationId: lineage.correlationId, causationId: lineage.causationId,
                   service: service, sourceService: lineage.sourceService, eventType: lineage.eventType, topic: topic,
                   partition: partition, offset: offset, consumerGroup: consumerGroup, deadLetterTopic: deadLetterTopic,
                   errorClass: errorClass, producedAt: lineage.producedAt, timestamp: timestamp)
    }

    // Short keys keep the record small: one is written per hop of every event.
    enum CodingKeys: String, CodingKey {
        case kind, eventId = "event", correlationId = "corr", causationId = "cause", service, sourceService = "source"
        case eventType = "type", topic, partition, offset, consumerGroup = "group", deadLetterTopic = "dlq", errorClass = "error"
        case producedAt = "produced", timestamp = "ts"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func uuid(_ key: CodingKeys) throws -> UUID {
            let text = try container.decode(String.self, forKey: key)
            guard let value = UUID(uuidString: text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\"\(text)\" is not a UUID")
            }
            return value
        }
        kind = try container.decode(Kind.self, forKey: .kind)
        eventId = try uuid(.eventId)
        correlationId = try uuid(.correlationId)
        causationId = try container.contains(.causationId) ? uuid(.causationId) : nil
        service = try container.decode(String.self, forKey: .service)
        sourceService = try container.decodeIfPresent(String.self, forKey: .sourceService) ?? service
        eventType = try container.decodeIfPresent(String.self, forKey: .eventType)
        topic = try container.decode(String.self, forKey: .topic)
        partition = try container.decode(Int32.self, forKey: .partition)
        offset = try container.decodeIfPresent(Int64.self, forKey: .offset)
        consumerGroup = try container.decodeIfPresent(String.self, forKey: .consumerGroup)
        deadLetterTopic = try container.decodeIfPresent(String.self, forKey: .deadLetterTopic)
        errorClass = try container.decodeIfPresent(String.self, forKey: .errorClass)
        timestamp = try container.decode(Int64.self, forKey: .timestamp)
        producedAt = try container.decodeIfPresent(Int64.self, forKey: .producedAt) ?? timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(eventId.uuidString.lowercased(), forKey: .eventId)
        try container.encode(correlationId.uuidString.lowercased(), forKey: .correlationId)
        try container.encodeIfPresent(causationId?.uuidString.lowercased(), forKey: .causationId)
        try container.encode(service, forKey: .service)
        if sourceService != service { try container.encode(sourceService, forKey: .sourceService) }
        try container.encodeIfPresent(eventType, forKey: .eventType)
        try container.encode(topic, forKey: .topic)
        try container.encode(partition, forKey: .partition)
        try container.encodeIfPresent(offset, forKey: .offset)
        try container.encodeIfPresent(consumerGroup, forKey: .consumerGroup)
        try container.encodeIfPresent(deadLetterTopic, forKey: .deadLetterTopic)
        try container.encodeIfPresent(errorClass, forKey: .errorClass)
        if producedAt != timestamp { try container.encode(producedAt, forKey: .producedAt) }
        try container.encode(timestamp, forKey: .timestamp)
    }
}

extension LineageHop {
    /// The hop as the lineage topic's record value.
    public func encoded() -> [UInt8] {
        // Encoding strings and integers cannot fail.
        (try? Array(JSONEncoder().encode(self))) ?? []
    }

    /// Reads a hop from a lineage record's value; nil when it is not one.
    public static func decode(_ bytes: some Collection<UInt8>) -> LineageHop? {
        try? JSONDecoder().decode(LineageHop.self, from: Data(bytes))
    }
}
