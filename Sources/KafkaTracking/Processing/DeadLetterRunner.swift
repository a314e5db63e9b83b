import KafkaClient
import KafkaWire
import Logging

/// Runs a handler over consumed records so that none is lost: each record is
/// handled (inside its lineage context, so what the handler produces names it as
/// cause), retried per `RetryPolicy` on failure, and after the last failure sent
/// to a dead-letter topic with the error and its origin in headers. Its offset is
/// committed only after success or dead-lettering. With a `LineageRecorder`, a
/// dead-lettered record's lineage graph shows where it ended (a dead-letter hop).
public final class DeadLetterRunner: Sendable {
    /// What became of a record.
    public enum Outcome: Sendable, Hashable {
        /// Handled after this many attempts.
        case handled(attempts: Int)
        /// Sent to the dead-letter topic after this many failed attempts.
        case deadLettered(attempts: Int, topic: String)
    }

    /// Header names on dead-lettered records.
    public enum Header {
        /// The type of the error the handler threw.
        public static let errorClass = "dlq.error-class"
        /// The error's description.
        public static let errorMessage = "dlq.error-message"
        /// How many times the handler ran.
        public static let attempts = "dlq.attempts"
        /// The topic the record was consumed from.
        public static let originalTopic = "dlq.original-topic"
        /// Its partition.
        public static let originalPartition = "dlq.original-partition"
        /// Its offset.
        public static let originalOffset = "dlq.original-offset"
    }

    /// The consumer the runner reads from and commits with.
    public let consumer: KafkaConsumer
    /// The producer dead letters are written with.
    public let deadLetterProducer: KafkaProducer
    /// How failing handlers are retried.
    public let policy: RetryPolicy
    /// The dead-letter topic for records of a topic (`<topic>.dlq` by default).
    public let deadLetterTopic: @Sendable (String) -> String
    /// Where dead-letter hops are recorded (for records that carry lineage); nil to record none.
    public let recorder: LineageRecorder?
    let logger: Logger

    /// - Parameters:
    ///   - consumer: the consumer whose messages are handled; the runner commits through it.
    ///   - deadLetterProducer: writes records the handler keeps failing on.
    ///   - policy: how often and how long apart a failing handler is retried.
    ///   - deadLetterTopic: the dead-letter topic for a record's topic.
    ///   - recorder: records a dead-letter hop, with the error's type, for each
    ///     dead-lettered record that carries lineage.
    ///   - logger: where retries and dead letters are logged.
    public init(consumer: KafkaConsumer, deadLetterProducer: KafkaProducer, policy: RetryPolicy = RetryPolicy(),
                deadLetterTopic: @escaping @Sendable (String) -> String = { "\($0).dlq" }, recorder: LineageRecorder? = nil,
                logger: Logger = Logger(label: "swift-kafka-native.tracking")) {
        self.consumer = consumer
        self.deadLetterProducer = deadLetterProducer
        self.policy = policy
        self.deadLetterTopic = deadLetterTopic
        self.recorder = recorder
        self.logger = logger
    }

    /// Handles every record the consumer delivers until the sequence ends or an
    /// offset cannot be committed / a record cannot be dead-lettered (then it throws,
    /// leaving the record uncommitted, so it is read again).
    public func run(_ handler: @Sendable (KafkaConsumerMessage) async throws -> Void) async throws {
        for try await message in consumer.messages {
            _ = try await process(message, handler)
        }
    }

    /// Handles one record with retries and dead-lettering, then commits its offset.
    public func process(_ message: KafkaConsumerMessage, _ handler: @Sendable (KafkaConsumerMessage) async throws -> Void)
        async throws -> Outcome {
        let lineage = try? LineageMetadata(headers: message.headers)
        var attempts = 0
        var lastError: (any Error)?
        while attempts <= policy.maxRetries {
            if attempts > 0 { try await Task.sleep(for: policy.delay(beforeRetry: attempts)) }
            attempts += 1
            do {
                try await LineageContext.withEvent(lineage) { try await handler(message) }
                try await commit(message)
                return .handled(attempts: attempts)
            } catch {
                lastError = error
                logger.debug("handler failed", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)",
                                                          "attempt": "\(attempts)", "error": "\(error)"])
            }
        }
        let topic = deadLetterTopic(message.topic)
        let error = lastError ?? CancellationError()
        let errorClass = String(reflecting: type(of: error))
        var headers = message.headers
        headers.append(KafkaHeader(key: Header.errorClass, value: Array(errorClass.utf8)))
        headers.append(KafkaHeader(key: Header.errorMessage, value: Array(String(describing: error).utf8)))
        headers.append(KafkaHeader(key: Header.attempts, value: Array(String(attempts).utf8)))
        headers.append(KafkaHeader(key: Header.originalTopic, value: Array(message.topic.utf8)))
        headers.append(KafkaHeader(key: Header.originalPartition, value: Array(String(message.partition).utf8)))
        headers.append(KafkaHeader(key: Header.originalOffset, value: Array(String(message.offset).utf8)))
        let record = KafkaProducerRecord(topic: topic, key: message.key.map(Array.init), value: message.value.map(Array.init),
                                         headers: headers, timestamp: message.timestamp)
        _ = try await deadLetterProducer.sendAndWait(record)
        if let recorder, let lineage {
            await recorder.recordDeadLettered(lineage, topic: message.topic, partition: message.partition, offset: message.offset,
                                              consumerGroup: consumer.configuration.groupId, deadLetterTopic: topic, errorClass: errorClass)
        }
        try await commit(message)
        return .deadLettered(attempts: attempts, topic: topic)
    }

    private func commit(_ message: KafkaConsumerMessage) async throws(KafkaError) {
        try await consumer.commit([TopicPartition(topic: message.topic, partition: message.partition): message.offset + 1])
    }
}
