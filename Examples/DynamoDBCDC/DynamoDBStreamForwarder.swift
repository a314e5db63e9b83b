import KafkaClient
import KafkaTracking
import KafkaWire

/// Forwards DynamoDB stream records to a Kafka topic through a `TrackedProducer`:
/// keyed by the item's primary key (so one item's changes stay in order on one
/// partition), the image as the value, the change in `cdc.*` headers and lineage
/// in `lineage.*` headers.
public struct DynamoDBStreamForwarder: Sendable {
    /// Header names on forwarded records.
    public enum Header {
        public static let eventId = "cdc.event-id"
        public static let eventName = "cdc.event-name"
        public static let sequenceNumber = "cdc.sequence-number"
    }

    public let producer: TrackedProducer
    public let topic: String

    public init(producer: TrackedProducer, topic: String) {
        self.producer = producer
        self.topic = topic
    }

    /// The Kafka record for `change`.
    public func record(for change: DynamoDBStreamRecord) -> KafkaProducerRecord {
        var headers = [KafkaHeader(key: Header.eventId, value: Array(change.eventId.utf8)),
                       KafkaHeader(key: Header.eventName, value: Array(change.eventName.rawValue.utf8))]
        if let sequence = change.sequenceNumber { headers.append(KafkaHeader(key: Header.sequenceNumber, value: Array(sequence.utf8))) }
        return KafkaProducerRecord(topic: topic, key: change.keyText, value: change.valueText, headers: headers)
    }

    /// Sends every change in order; returns the lineage each was stamped with.
    @discardableResult
    public func forward(_ changes: [DynamoDBStreamRecord]) async throws(KafkaError) -> [LineageMetadata] {
        var stamped: [LineageMetadata] = []
        for change in changes {
            stamped.append(try await producer.send(record(for: change), eventType: "dynamodb.\(change.eventName.rawValue)").lineage)
        }
        return stamped
    }
}
