import Foundation
import InMemoryTracing
import KafkaClient
import KafkaTestSupport
import KafkaTracking
import KafkaWire
import Synchronization
import Testing
import Tracing

/// The tracking SDK on the real broker: lineage carried from hop to hop, loss
/// reported the moment the next record shows it, and the dead-letter runner.
@Suite("Tracking on the real broker")
struct TrackingIntegrationTests {
    static func consumer(group: String? = nil) throws -> KafkaConsumer {
        try KafkaConsumerTests.consumer {
            $0.groupId = group ?? TestBroker.uniqueTopicName("trk-g")
            $0.autoOffsetReset = .earliest
            $0.enableAutoCommit = false
        }
    }

    @Test("three hops: each record names the one it was produced for as cause and keeps the flow's correlation id")
    func lineageAcrossHops() async throws {
        let hops = (0..<3).map { TestBroker.uniqueTopicName("trk-hop\($0)") }
        for topic in hops { try await KafkaProducerTests.createTopic(topic, partitions: 1) }
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let customers = TrackedProducer(producer, sourceService: "customers")
        let orders = TrackedProducer(producer, sourceService: "orders")
        let first = try await customers.send(KafkaProducerRecord(topic: hops[0], key: "c-1", value: "registered"),
                                             eventType: "CustomerRegisteredEvent", schemaVersion: 1).lineage
        await producer.flush()

        var seen: [LineageMetadata] = []
        for (index, topic) in hops.enumerated() {
            let consumer = try KafkaConsumerTests.consumer()
            consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
            let message = try #require(try await KafkaConsumerTests.read(1, from: consumer).first)
            await consumer.close()
            let lineage = try #require(try LineageMetadata(headers: message.headers))
            seen.append(lineage)
            if index + 1 < hops.count {
                try await LineageContext.withEvent(lineage) {
                    _ = try await orders.send(KafkaProducerRecord(topic: hops[index + 1], key: "c-1", value: "step \(index + 1)"),
                                              eventType: "OrderStepEvent")
                }
                await producer.flush()
            }
        }
        await producer.close()
        #expect(seen[0] == first)
        #expect(seen.allSatisfy { $0.correlationId == first.eventId })
        #expect(seen[1].causationId == seen[0].eventId)
        #expect(seen[2].causationId == seen[1].eventId)
        #expect(seen[1].sourceService == "orders" && seen[0].sourceService == "customers")
        #expect(seen[0].eventType == "CustomerRegisteredEvent" && seen[0].schemaVersion == 1)
    }

    @Test("a producer that skips sequence 3: the gap is reported on the next record, once, with its producer and partition")
    func lossReported() async throws {
        let topic = TestBroker.uniqueTopicName("trk-loss")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        for number in [0, 1, 2, 4, 5] as [Int64] {
            let lineage = LineageMetadata(sourceService: "skipper", producedAt: Int64(Date().timeIntervalSince1970 * 1000),
                                          sequence: ProducerSequence(producerId: "skipper-1", number: number))
            try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "n\(number)", headers: lineage.headers))
        }
        await producer.close()

        let detector = LossDetector()
        let consumer = try KafkaConsumerTests.consumer()
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        var reported: [(offset: Int64, anomalies: [SequenceAnomaly])] = []
        for message in try await KafkaConsumerTests.read(5, from: consumer) {
            reported.append((message.offset, detector.observe(message)))
        }
        await consumer.close()
        detector.finish()
        let anomalies = reported.flatMap(\.anomalies)
        #expect(anomalies.map(\.kind) == [.gap(missing: 3..<4)])
        // Reported while handling the record right after the gap (offset 3 holds number 4).
        #expect(reported.first { !$0.anomalies.isEmpty }?.offset == 3)
        #expect(anomalies.first?.producerId == "skipper-1" && anomalies.first?.topic == topic && anomalies.first?.partition == 0)
        var streamed: [SequenceAnomaly] = []
        for await anomaly in detector.anomalies { streamed.append(anomaly) }
        #expect(streamed == anomalies)
    }

    @Test("the dead-letter runner retries, then dead-letters with the error and origin in headers, and commits both")
    func deadLetters() async throws {
        let topic = TestBroker.uniqueTopicName("trk-dlq")
        let dlq = "\(topic).dlq"
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        try await KafkaProducerTests.createTopic(dlq, partitions: 1)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: "k1", value: "flaky"))
        try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: "k2", value: "poison"))
        await producer.flush()

        struct PoisonError: Error, CustomStringConvertible { var description: String { "cannot parse poison" } }
        let group = TestBroker.uniqueTopicName("trk-dlq-g")
        let consumer = try Self.consumer(group: group)
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        let runner = DeadLetterRunner(consumer: consumer, deadLetterProducer: producer,
                                      policy: RetryPolicy(maxRetries: 3, initialBackoff: .milliseconds(10)))
        let flakyAttempts = Atomic<Int>(0)
        let handler: @Sendable (KafkaConsumerMessage) async throws -> Void = { message in
            if message.valueString == "poison" { throw PoisonError() }
            if flakyAttempts.add(1, ordering: .relaxed).newValue < 3 { throw PoisonError() }
        }
        let messages = try await KafkaConsumerTests.read(2, from: consumer)
        var outcomes: [DeadLetterRunner.Outcome] = []
        for message in messages { outcomes.append(try await runner.process(message, handler)) }
        #expect(outcomes == [.handled(attempts: 3), .deadLettered(attempts: 4, topic: dlq)])
        #expect(try await consumer.committed([TopicPartition(topic: topic, partition: 0)])[TopicPartition(topic: topic, partition: 0)] == 2)
        await consumer.close()
        await producer.close()

        let reader = try KafkaConsumerTests.consumer()
        reader.assign([TopicPartition(topic: dlq, partition: 0): .earliest])
        let dead = try #require(try await KafkaConsumerTests.read(1, from: reader).first)
        await reader.close()
        let headers = Dictionary(dead.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) }, uniquingKeysWith: { a, _ in a })
        #expect(dead.valueString == "poison" && dead.keyString == "k2")
        #expect(headers[DeadLetterRunner.Header.errorMessage] == "cannot parse poison")
        #expect(headers[DeadLetterRunner.Header.errorClass]?.hasSuffix("PoisonError") == true)
        #expect(headers[DeadLetterRunner.Header.attempts] == "4")
        #expect(headers[DeadLetterRunner.Header.originalTopic] == topic)
        #expect(headers[DeadLetterRunner.Header.originalPartition] == "0")
        #expect(headers[DeadLetterRunner.Header.originalOffset] == "1")
    }
}
