import Foundation
import KafkaClient
import Logging
import Metrics

/// Writes one compact record per hop (an event produced, an event consumed) to a
/// lineage topic, from which `LineageQuery` rebuilds a flow's graph.
///
/// Records are keyed by correlation id and sent to that key's murmur2 partition,
/// so one flow's hops sit in one partition in the order they were recorded.
/// Recording never fails the business operation: a hop that cannot be queued is
/// logged and counted in `kafka_tracking_lineage_hops_dropped`.
///
/// ```swift
/// let recorder = LineageRecorder(producer: producer, service: "payments")
/// let tracked = TrackedProducer(producer, sourceService: "payments", recorder: recorder)
/// try await message.withProcessingSpan(consumerGroup: "payments", recorder: recorder) { _ in ... }
/// ```
public final class LineageRecorder: Sendable {
    /// The lineage topic unless another is given.
    public static let defaultTopic = "_lineage"

    /// The producer hop records go through (any producer; it may be the service's own).
    public let producer: KafkaProducer
    /// The service named on consume hops.
    public let service: String
    /// The lineage topic.
    public let topic: String
    private let partitions = PartitionCounts()
    private let logger: Logger

    public init(producer: KafkaProducer, service: String, topic: String = LineageRecorder.defaultTopic,
                logger: Logger = Logger(label: "swift-kafka-native.tracking")) {
        self.producer = producer
        self.service = service
        self.topic = topic
        self.logger = logger
    }

    /// Queues `hop` for the lineage topic.
    ///
    /// - Throws: `KafkaError` when the lineage topic is unknown or the producer cannot take the record.
    public func record(_ hop: LineageHop) async throws(KafkaError) {
        let key = hop.correlationId.lowercasedUTF8
        let partition = try await partitions.partition(for: key, topic: topic, in: producer.cluster)
        _ = try producer.send(KafkaProducerRecord(topic: topic, partition: partition, key: key, value: hop.encoded(),
                                                  timestamp: hop.timestamp))
    }

    /// Records that an event with `lineage` was produced to `topic`'s `partition`.
    public func recordProduced(_ lineage: LineageMetadata, topic: String, partition: Int32, offset: Int64? = nil) async {
        await recordOrCount(.produced(lineage, topic: topic, partition: partition, offset: offset))
    }

    /// Records that this service consumed `message` (nothing when it carries no lineage).
    public func recordConsumed(_ message: KafkaConsumerMessage, consumerGroup: String?,
                               at timestamp: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) async {
        guard let lineage = try? LineageMetadata(headers: message.headers) else { return }
        await recordConsumed(lineage, topic: message.topic, partition: message.partition, offset: message.offset,
                             consumerGroup: consumerGroup, at: timestamp)
    }

    /// Records that this service consumed the event with `lineage` from `topic`'s `partition` at `offset`.
    public func recordConsumed(_ lineage: LineageMetadata, topic: String, partition: Int32, offset: Int64, consumerGroup: String?,
                               at timestamp: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) async {
        await recordOrCount(.consumed(lineage, by: service, consumerGroup: consumerGroup, topic: topic, partition: partition,
                                      offset: offset, at: timestamp))
    }

    private func recordOrCount(_ hop: LineageHop) async {
        do throws(KafkaError) {
            try await record(hop)
        } catch {
            Counter(label: "kafka_tracking_lineage_hops_dropped", dimensions: [("topic", topic)]).increment()
            logger.warning("lineage hop not recorded", metadata: ["event": "\(hop.eventId)", "kind": "\(hop.kind.rawValue)",
                                                                  "error": "\(error)"])
        }
    }
}
