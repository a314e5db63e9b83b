import KafkaClient
import KafkaTestSupport
import Testing

/// Auto-commit commits only what the application has finished: a record it still
/// holds (it has not asked for the next one) is not committed, so a crash while
/// processing it delivers it again.
@Suite("Consumer auto-commit and the record in hand")
struct AutoCommitTests {
    @Test("while a record is processed, auto-commit commits up to it, not past it; asking for the next commits it")
    func recordInHand() async throws {
        let topic = TestBroker.uniqueTopicName("autocommit")
        let group = TestBroker.uniqueTopicName("autocommit-g")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        try await KafkaConsumerTests.produce(topic, partitions: 1, count: 3)
        let key = TopicPartition(topic: topic, partition: 0)
        let consumer = try ConsumerGroupTests.member(group: group) { $0.autoCommitInterval = .milliseconds(200) }
        try consumer.subscribe(topics: [topic])
        let probe = try KafkaConsumerTests.consumer { $0.groupId = group }
        var iterator = consumer.messages.makeAsyncIterator()

        let first = try #require(try await iterator.next())
        #expect(first.offset == 0)
        // "Processing" record 0 across several auto-commit intervals and heartbeats.
        try await Task.sleep(for: .seconds(2))
        let whileHeld = try await probe.committed([key])[key]
        #expect(whileHeld == nil || whileHeld == 0, "committed \(String(describing: whileHeld)) while record 0 was in hand")

        let second = try #require(try await iterator.next())
        #expect(second.offset == 1)
        var afterwards: Int64?
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            afterwards = try await probe.committed([key])[key]
            if afterwards == 1 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(afterwards == 1, "record 0 finished once record 1 was asked for")
        await consumer.close()
        await probe.close()
    }
}
