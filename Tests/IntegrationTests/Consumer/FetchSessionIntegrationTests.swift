import KafkaTestSupport
import Testing
@testable import KafkaClient

/// Fetch sessions (KIP-227) against the real broker: reads stay complete and in
/// order whichever way the broker answers, and the session state shows which way that was.
@Suite("Fetch sessions on the real broker")
struct FetchSessionIntegrationTests {
    @Test("a consumer over four partitions reads every record once, in order, with sessions where the broker opens them")
    func readsThroughSessions() async throws {
        let topic = TestBroker.uniqueTopicName("sessions")
        try await KafkaProducerTests.createTopic(topic, partitions: 4)
        let consumer = try KafkaConsumerTests.consumer()
        consumer.assign(Dictionary(uniqueKeysWithValues: (0..<4).map { (TopicPartition(topic: topic, partition: $0), KafkaConsumerStartOffset.earliest) }))
        var seen: [Int32: [Int64]] = [:]
        // Two rounds, so that later fetches run on an open session and name only the partitions that moved.
        for round in 0..<2 {
            try await KafkaConsumerTests.produce(topic, partitions: 3, count: 40)
            for try await message in consumer.messages {
                seen[message.partition, default: []].append(message.offset)
                if seen.values.map(\.count).reduce(0, +) == 120 * (round + 1) { break }
            }
        }
        for partition in 0..<Int32(3) { #expect(seen[partition] == Array(0..<80), "partition \(partition)") }
        #expect(seen.keys.allSatisfy { $0 < 3 })
        let sessions = consumer.fetcher.sessions.withLock { $0 }
        let opened = sessions.values.filter { $0.sessionId != 0 }
        print("fetch sessions: \(sessions.map { "broker \($0.key): id \($0.value.sessionId) epoch \($0.value.epoch)" })")
        #expect(opened.allSatisfy { $0.epoch > 1 }, "an open session counts its epochs up")
        await consumer.close()
    }
}
