import Foundation
import InMemoryTracing
import KafkaClient
import KafkaTestSupport
import KafkaTracking
import KafkaWire
import Testing
import Tracing

/// Trace context through the real broker: the producer span's context in the
/// record's headers, the consumer's process span its child.
@Suite("Tracing through the real broker")
struct TracingIntegrationTests {
    @Test("a producer span's context travels in the headers; the consumer's process span is its child in the same trace")
    func producerToConsumerSpan() async throws {
        let topic = TestBroker.uniqueTopicName("trk-trace")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        _ = TestMetricsBootstrap.shared
        let tracer = InMemoryTracer()
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let tracked = TrackedProducer(producer, sourceService: "orders", tracer: tracer)
        let sent = try await tracked.send(KafkaProducerRecord(topic: topic, key: "o-1", value: "placed"), eventType: "OrderPlacedEvent")
        await producer.close()

        let consumer = try KafkaConsumerTests.consumer()
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        let message = try #require(try await KafkaConsumerTests.read(1, from: consumer).first)
        await consumer.close()
        // The context the tracer injected (InMemoryTracer's own two headers) and the compact lineage header, once each.
        #expect(message.headers.map(\.key).sorted() == ["in-memory-span-id", "in-memory-trace-id", LineageMetadata.Header.compact])
        let handledLineage = await message.withProcessingSpan(consumerGroup: "billing", tracer: tracer) { _ in LineageContext.current }
        #expect(handledLineage == sent.lineage)

        let spans = tracer.finishedSpans
        let publish = try #require(spans.first { $0.kind == .producer })
        let process = try #require(spans.first { $0.kind == .consumer })
        #expect(publish.operationName == "\(topic) publish" && process.operationName == "\(topic) process")
        #expect(process.traceID == publish.traceID)
        #expect(process.spanContext.parentSpanID == publish.spanID)
        #expect(publish.attributes["messaging.system"]?.toSpanAttribute() == "kafka")
        #expect(publish.attributes["messaging.message.id"]?.toSpanAttribute() == .string(sent.lineage.eventId.uuidString.lowercased()))
        #expect(process.attributes["messaging.consumer.group.name"]?.toSpanAttribute() == "billing")
        #expect(process.attributes["messaging.kafka.offset"]?.toSpanAttribute() == .int64(Int64(message.offset)))

        // The end-to-end latency went to swift-metrics, per topic and group.
        let latency = try TestMetricsBootstrap.shared.expectTimer("kafka_tracking_end_to_end_latency",
                                                                  [("topic", topic), ("consumer_group", "billing")])
        #expect(latency.values.count == 1 && latency.values.allSatisfy { $0 >= 0 && $0 < 60_000_000_000 })
    }
}
