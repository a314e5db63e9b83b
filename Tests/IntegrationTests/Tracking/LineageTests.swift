import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaTracking
import Testing

/// Lineage recorded by four services on the real broker, read back as one graph.
@Suite("Lineage recorder and query on the real broker")
struct LineageTests {
    static let services = ["customers", "orders", "inventory", "payments"]
    static let eventTypes = ["CustomerRegisteredEvent", "OrderPlacedEvent", "StockReservedEvent", "PaymentRequestedEvent"]

    /// Runs the saga customers -> orders -> inventory -> payments: each service but the
    /// first consumes the previous service's topic and, inside the consumed event's
    /// lineage, produces to its own; every hop goes to `lineageTopic`.
    ///
    /// - Returns: the saga's correlation id.
    static func runSaga(lineageTopic: String) async throws -> UUID {
        let topics = services.map { TestBroker.uniqueTopicName("lin-\($0)") }
        for topic in topics { try await KafkaProducerTests.createTopic(topic, partitions: 2) }
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let tracked = services.map { service in
            TrackedProducer(producer, sourceService: service,
                            recorder: LineageRecorder(producer: producer, service: service, topic: lineageTopic))
        }
        // The three downstream services wait for their input while the first one starts the flow.
        let correlationId = try await withThrowingTaskGroup(of: UUID?.self) { group in
            for index in 1..<services.count {
                group.addTask {
                    let consumer = try KafkaConsumerTests.consumer()
                    consumer.assign([0, 1].reduce(into: [:]) { $0[TopicPartition(topic: topics[index - 1], partition: $1)] = .earliest })
                    let message = try #require(try await KafkaConsumerTests.read(1, from: consumer).first)
                    await consumer.close()
                    try await message.withProcessingSpan(consumerGroup: "\(services[index])-g", recorder: tracked[index].recorder) { _ in
                        _ = try await tracked[index].send(KafkaProducerRecord(topic: topics[index], key: "customer-7", value: "step \(index)"),
                                                          eventType: eventTypes[index])
                    }
                    return nil
                }
            }
            let first = try await tracked[0].send(KafkaProducerRecord(topic: topics[0], key: "customer-7", value: "registered"),
                                                  eventType: eventTypes[0])
            try await group.waitForAll()
            return first.lineage.correlationId
        }
        await producer.flush()
        await producer.close()
        return correlationId
    }

    static func query(_ lineageTopic: String) throws -> LineageQuery {
        LineageQuery(configuration: KafkaConsumer.Configuration(bootstrapServers: ["\(try TestBroker.bootstrap())"]), topic: lineageTopic)
    }

    @Test("a four-service saga: four events in causation order, each service's produce and consume hops, latencies")
    func sagaGraph() async throws {
        let lineageTopic = TestBroker.uniqueTopicName("lin-lineage")
        try await KafkaProducerTests.createTopic(lineageTopic, partitions: 3)
        // Another flow's hops share the lineage topic and must not show up.
        let otherFlow = try await Self.runSaga(lineageTopic: lineageTopic)
        let correlationId = try await Self.runSaga(lineageTopic: lineageTopic)

        let graph = try await Self.query(lineageTopic).graph(correlationId: correlationId)
        #expect(graph.hops.count == 7, "\(graph.text)")
        #expect(graph.hops.allSatisfy { $0.correlationId == correlationId })
        #expect(graph.events.count == 4)
        #expect(graph.events.map(\.producer) == Self.services)
        #expect(graph.events.map(\.eventType) == Self.eventTypes)
        #expect(graph.events[0].eventId == correlationId && graph.events[0].causationId == nil)
        for index in 1..<4 { #expect(graph.events[index].causationId == graph.events[index - 1].eventId) }
        #expect(graph.edges.count == 3)
        #expect(graph.events.map { $0.consumptions.map(\.service) } == [["orders"], ["inventory"], ["payments"], []])
        #expect(graph.events.prefix(3).allSatisfy { $0.consumptions.first?.consumerGroup?.hasSuffix("-g") == true })
        #expect(graph.events.allSatisfy { $0.produceRecorded })
        #expect(graph.events.prefix(3).allSatisfy { $0.offset == 0 }, "consume hops carry the offset")
        #expect(graph.events.flatMap(\.consumptions).allSatisfy { $0.latency >= .zero })
        let endToEnd = try #require(graph.endToEnd)
        #expect(endToEnd >= .zero && endToEnd < .seconds(60))
        #expect(graph.services == Self.services)
        #expect(graph.text.contains("services: customers -> orders -> inventory -> payments"))

        let other = try await Self.query(lineageTopic).graph(correlationId: otherFlow)
        #expect(other.events.count == 4 && Set(other.events.map(\.eventId)).isDisjoint(with: graph.events.map(\.eventId)))
    }

    @Test("a correlation id with no hops gives an empty graph, on an empty and on a filled lineage topic")
    func unknownFlow() async throws {
        let lineageTopic = TestBroker.uniqueTopicName("lin-empty")
        try await KafkaProducerTests.createTopic(lineageTopic, partitions: 1)
        #expect(try await Self.query(lineageTopic).hops(correlationId: UUID()).isEmpty)
        _ = try await Self.runSaga(lineageTopic: lineageTopic)
        let graph = try await Self.query(lineageTopic).graph(correlationId: UUID())
        #expect(graph.events.isEmpty && graph.endToEnd == nil)
    }
}
