import KafkaClient
import KafkaTestSupport
import Synchronization
import Testing

@Suite("KafkaProducer delivery handlers on the real broker")
struct ProducerDeliveryHandlerTests {
    @Test("each handler gets its record's report with the offset; flush also waits for records a handler sends")
    func handlersAndFlush() async throws {
        let topic = TestBroker.uniqueTopicName("dh")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let reports = VisibleLock<[String: KafkaDeliveryReport]>([:])
        for index in 0..<3 {
            try producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: "r\(index)")) { report in
                reports.withLock { $0["r\(index)"] = report }
                guard index == 2 else { return }
                // Sent from the handler, after the buffer emptied: flush must still wait for it.
                _ = try? producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: "follow-up")) { report in
                    reports.withLock { $0["follow-up"] = report }
                }
            }
        }
        await producer.flush()
        let seen = reports.withLock { $0 }
        #expect(seen.keys.sorted() == ["follow-up", "r0", "r1", "r2"])
        #expect(["r0", "r1", "r2", "follow-up"].map { seen[$0]?.offset } == [0, 1, 2, 3])
        #expect(seen.values.allSatisfy { $0.isSuccess && $0.topic == topic && $0.partition == 0 })
        await producer.close()
        #expect(throws: KafkaError.self) { try producer.send(KafkaProducerRecord(topic: topic, value: "late")) { _ in Issue.record("called") } }
    }
}
