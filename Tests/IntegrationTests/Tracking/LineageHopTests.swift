import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaTracking
import Testing

/// What the lineage recorder writes on the real broker: produce hops with the
/// offsets from their delivery reports, dead-letter hops, and its own topic.
@Suite("Lineage hops on the real broker")
struct LineageHopTests {
    @Test("produce hops are recorded at delivery with the record's partition and offset; flush waits for them")
    func produceHopsCarryOffsets() async throws {
        let topic = TestBroker.uniqueTopicName("hop-orders")
        let lineageTopic = TestBroker.uniqueTopicName("hop-lineage")
        try await KafkaProducerTests.createTopic(topic, partitions: 2)
        try await KafkaProducerTests.createTopic(lineageTopic, partitions: 1)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let tracked = TrackedProducer(producer, sourceService: "orders",
                                      recorder: LineageRecorder(producer: producer, service: "orders", topic: lineageTopic))
        let root = LineageMetadata(sourceService: "customers", producedAt: 0)
        var sent: [LineageMetadata] = []
        try await LineageContext.withEvent(root) {
            for index in 0..<3 {
                sent.append(try await tracked.send(KafkaProducerRecord(topic: topic, partition: 1, key: "k", value: "v\(index)")).lineage)
            }
        }
        await producer.flush()
        await producer.close()

        let graph = try await LineageTests.query(lineageTopic).graph(correlationId: root.correlationId)
        let produced = graph.hops.filter { $0.kind == .produce }
        #expect(produced.map(\.eventId) == sent.map(\.eventId), "\(graph.text)")
        #expect(produced.map(\.offset) == [0, 1, 2])
        #expect(produced.allSatisfy { $0.topic == topic && $0.partition == 1 })
        #expect(graph.events.map(\.offset) == [0, 1, 2])
        #expect(graph.text.contains("\(topic)[1]@2"))
    }

    @Test("a dead-lettered record's graph shows where it ended: service, group, dead-letter topic and error type")
    func deadLetterHop() async throws {
        let topic = TestBroker.uniqueTopicName("hop-pay")
        let lineageTopic = TestBroker.uniqueTopicName("hop-dlq-lineage")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        try await KafkaProducerTests.createTopic("\(topic).dlq", partitions: 1)
        try await KafkaProducerTests.createTopic(lineageTopic, partitions: 1)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let sent = try await TrackedProducer(producer, sourceService: "orders")
            .send(KafkaProducerRecord(topic: topic, partition: 0, key: "o-1", value: "poison"), eventType: "OrderPlacedEvent").lineage
        await producer.flush()

        struct DeclinedError: Error {}
        let group = TestBroker.uniqueTopicName("hop-dlq-g")
        let consumer = try TrackingIntegrationTests.consumer(group: group)
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        let runner = DeadLetterRunner(consumer: consumer, deadLetterProducer: producer,
                                      policy: RetryPolicy(maxRetries: 1, initialBackoff: .milliseconds(10)),
                                      recorder: LineageRecorder(producer: producer, service: "payments", topic: lineageTopic))
        let message = try #require(try await KafkaConsumerTests.read(1, from: consumer).first)
        #expect(try await runner.process(message) { _ in throw DeclinedError() } == .deadLettered(attempts: 2, topic: "\(topic).dlq"))
        await consumer.close()
        await producer.flush()
        await producer.close()

        let graph = try await LineageTests.query(lineageTopic).graph(correlationId: sent.correlationId)
        let hop = try #require(graph.hops.first { $0.kind == .deadLetter }, "\(graph.text)")
        #expect(hop.eventId == sent.eventId && hop.topic == topic && hop.offset == 0)
        let deadLetter = try #require(graph.events.first?.deadLetters.first)
        #expect(deadLetter.service == "payments" && deadLetter.consumerGroup == group && deadLetter.topic == "\(topic).dlq")
        #expect(deadLetter.errorClass?.hasSuffix("DeclinedError") == true)
        #expect(graph.text.contains("dead-lettered by payments (group \(group)) to \(topic).dlq"))
    }

    @Test("a missing lineage topic is created with the partitions asked for; without topicCreation, a typed error names it")
    func lineageTopicCreation() async throws {
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let hop = LineageHop.produced(LineageMetadata(sourceService: "orders", producedAt: 1), topic: "t", partition: 0, offset: 0)

        let missing = TestBroker.uniqueTopicName("hop-missing")
        let strict = LineageRecorder(producer: producer, service: "orders", topic: missing, topicCreation: nil)
        await #expect { try await strict.record(hop) } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .unknownTopicOrPartition && error.detail.contains(missing)
        }

        let created = TestBroker.uniqueTopicName("hop-created")
        let recorder = LineageRecorder(producer: producer, service: "orders", topic: created,
                                       topicCreation: .init(partitions: 3, replicationFactor: 1))
        // Concurrent first hops create the topic once between them.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await recorder.record(hop) } }
            try await group.waitForAll()
        }
        await producer.flush()
        let metadata = try await producer.cluster.refreshMetadata(topics: [created])
        #expect(metadata.topics[created]?.partitions.count == 3)
        await producer.close()
        let hops = try await LineageTests.query(created).hops(correlationId: hop.correlationId)
        #expect(hops.count == 4 && hops.allSatisfy { $0 == hop })
    }
}
