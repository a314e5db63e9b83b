import Foundation
import KafkaClient
import Logging
import Metrics
import Synchronization

/// Writes one compact record per hop (an event produced, consumed, or dead-lettered)
/// to a lineage topic, from which `LineageQuery` rebuilds a flow's graph.
///
/// Records are keyed by correlation id and sent to that key's murmur2 partition,
/// so one flow's hops sit in one partition in the order they were recorded.
/// Recording never fails the business operation: a hop that cannot be queued is
/// logged and counted in `kafka_tracking_lineage_hops_dropped`.
/// A missing lineage topic is created at the first hop (see `topicCreation`).
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
    /// How the lineage topic is created when it does not exist; nil to create none
    /// (then recording fails with `unknownTopicOrPartition` naming the topic).
    public let topicCreation: TopicCreation?
    private let partitions = PartitionCounts()
    private let topicCheck = VisibleLock<Task<Result<Void, KafkaError>, Never>?>(nil)
    private let topicReady = Atomic<Bool>(false)
    private let logger: Logger

    /// The lineage topic's layout when the recorder creates it.
    public struct TopicCreation: Sendable, Hashable {
        /// Partitions of the lineage topic (a flow's hops all go to one).
        public var partitions: Int32
        /// Replicas per partition; -1 for the broker's `default.replication.factor`.
        public var replicationFactor: Int16
        /// Topic configurations (`retention.ms`, ...).
        public var configs: [String: String]

        /// The layout of the lineage topic when the recorder creates it.
        public init(partitions: Int32 = 6, replicationFactor: Int16 = -1, configs: [String: String] = [:]) {
            self.partitions = partitions
            self.replicationFactor = replicationFactor
            self.configs = configs
        }
    }

    /// A recorder writing `service`'s hops to `topic` with `producer`.
    public init(producer: KafkaProducer, service: String, topic: String = LineageRecorder.defaultTopic,
                topicCreation: TopicCreation? = TopicCreation(), logger: Logger = Logger(label: "swift-kafka-native.tracking")) {
        self.producer = producer
        self.service = service
        self.topic = topic
        self.topicCreation = topicCreation
        self.logger = logger
    }

    /// Queues `hop` for the lineage topic, creating the topic first if it is missing and `topicCreation` is set.
    ///
    /// - Throws: `KafkaError` when the lineage topic does not exist and cannot be created
    ///   (`unknownTopicOrPartition` naming it when `topicCreation` is nil), or the producer cannot take the record.
    public func record(_ hop: LineageHop) async throws(KafkaError) {
        let key = hop.correlationId.lowercasedUTF8
        let partition = try await partition(for: key)
        _ = try producer.send(KafkaProducerRecord(topic: topic, partition: partition, key: key, value: hop.encoded(),
                                                  timestamp: hop.timestamp))
    }

    /// Records that an event with `lineage` was produced to `topic`'s `partition` (at `offset`, when known).
    public func recordProduced(_ lineage: LineageMetadata, topic: String, partition: Int32, offset: Int64? = nil) async {
        await recordOrCount(.produced(lineage, topic: topic, partition: partition, offset: offset))
    }

    /// Records a produce hop without waiting: queued at once when the lineage topic's
    /// partitions are known (from a producer's delivery handler, so `flush` waits for it),
    /// else from a new task.
    func recordProducedSoon(_ lineage: LineageMetadata, topic: String, partition: Int32, offset: Int64?) {
        let hop = LineageHop.produced(lineage, topic: topic, partition: partition, offset: offset)
        let key = hop.correlationId.lowercasedUTF8
        guard let lineagePartition = partitions.knownPartition(for: key, topic: self.topic) else {
            Task { await recordOrCount(hop) }
            return
        }
        do throws(KafkaError) {
            _ = try producer.send(KafkaProducerRecord(topic: self.topic, partition: lineagePartition, key: key, value: hop.encoded(),
                                                      timestamp: hop.timestamp))
        } catch {
            countDropped(hop, error)
        }
    }

    /// Records that `service` gave up on the event with `lineage`, read from `topic`'s `partition`
    /// at `offset`, and sent it to `deadLetterTopic` after an error of type `errorClass`.
    public func recordDeadLettered(_ lineage: LineageMetadata, topic: String, partition: Int32, offset: Int64, consumerGroup: String?,
                                   deadLetterTopic: String, errorClass: String,
                                   at timestamp: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) async {
        await recordOrCount(.deadLettered(lineage, by: service, consumerGroup: consumerGroup, topic: topic, partition: partition,
                                          offset: offset, deadLetterTopic: deadLetterTopic, errorClass: errorClass, at: timestamp))
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
            countDropped(hop, error)
        }
    }

    private func countDropped(_ hop: LineageHop, _ error: KafkaError) {
        Counter(label: "kafka_tracking_lineage_hops_dropped", dimensions: [("topic", topic)]).increment()
        logger.warning("lineage hop not recorded", metadata: ["event": "\(hop.eventId)", "kind": "\(hop.kind.rawValue)",
                                                              "error": "\(error)"])
    }

    /// Makes sure the lineage topic exists (creating it per `topicCreation`) and its
    /// partitions are known, so hops recorded from delivery handlers go out at once.
    /// Recording does this itself; call it to learn early that the topic cannot be had.
    ///
    /// - Throws: `KafkaError`, `unknownTopicOrPartition` naming the topic when it is
    ///   missing and `topicCreation` is nil.
    public func prepare() async throws(KafkaError) {
        guard !isPrepared else { return }
        try await ensureTopic().get()
    }

    /// True once the lineage topic is known to be there.
    var isPrepared: Bool { topicReady.load(ordering: .acquiring) }

    /// The lineage topic's partition for `key`.
    private func partition(for key: [UInt8]) async throws(KafkaError) -> Int32 {
        try await prepare()
        return try await partitions.partition(for: key, topic: topic, in: producer.cluster)
    }

    /// Checks for the lineage topic once, however many hops wait for it (again after a failure).
    private func ensureTopic() async -> Result<Void, KafkaError> {
        let task = topicCheck.withLock { task in
            if let task { return task }
            let created = Task { await self.ensureTopicNow() }
            task = created
            return created
        }
        let result = await task.value
        switch result {
        case .success: topicReady.store(true, ordering: .releasing)
        case .failure: topicCheck.withLock { $0 = nil }
        }
        return result
    }

    /// Looks the topic up through an admin client: the producer's metadata requests would
    /// have a broker that allows it create the topic with its defaults instead.
    private func ensureTopicNow() async -> Result<Void, KafkaError> {
        var settings = KafkaAdminClient.Configuration(bootstrapServers: producer.configuration.cluster.bootstrapServers)
        settings.cluster = producer.configuration.cluster
        settings.cluster.allowAutoTopicCreation = false
        do throws(KafkaError) {
            let admin = try KafkaAdminClient(configuration: settings)
            do throws(KafkaError) {
                try await createIfMissing(using: admin)
            } catch {
                await admin.close()
                throw error
            }
            await admin.close()
            // A new topic's partitions take a moment to show in metadata.
            for _ in 0..<50 {
                if (try? await partitions.count(of: topic, in: producer.cluster)) != nil { return .success(()) }
                try? await Task.sleep(for: .milliseconds(100))
            }
            _ = try await partitions.count(of: topic, in: producer.cluster)
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    private func createIfMissing(using admin: KafkaAdminClient) async throws(KafkaError) {
        let described = try await admin.describeTopics([topic])[topic]
        guard case .failure(let lookup) = described, lookup.code == .unknownTopicOrPartition
                || lookup.brokerErrorCode == .unknownTopicOrPartition else {
            _ = try described?.get()
            return
        }
        guard let topicCreation else {
            throw KafkaError(.unknownTopicOrPartition, detail: "the lineage topic \(topic) does not exist "
                             + "(create it, or give the LineageRecorder a topicCreation)", brokerErrorCode: .unknownTopicOrPartition)
        }
        let created = try await admin.createTopics([NewTopic(name: topic, partitions: topicCreation.partitions,
                                                             replicationFactor: topicCreation.replicationFactor,
                                                             configs: topicCreation.configs)])[topic]
        if case .failure(var error) = created, error.brokerErrorCode != .topicAlreadyExists {
            error.detail = "creating the lineage topic \(topic): \(error.detail)"
            throw error
        }
        logger.info("created the lineage topic", metadata: ["topic": "\(topic)", "partitions": "\(topicCreation.partitions)"])
    }
}
