import Foundation
import KafkaClient
import KafkaTestSupport
import Testing

/// Leaders moving under the client (kfake's `-shuffle-leaders-every`, which moves
/// every partition's leader to a random broker and bumps its leader epoch), with
/// connections dropped by the broker (`-drop-every`): an idempotent producer loses,
/// duplicates and reorders nothing per key, and a consumer reads it all back in order.
@Suite("kfake: leaders moving and connections dropped", .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment),
       .timeLimit(.minutes(4)))
struct KfakeLeaderMoveTests {
    @Test("idempotent produce, leaders moving every 700 ms and every 25th Produce connection dropped: 100,000 records exact per key")
    func idempotentProduceUnderLeaderMoves() async throws {
        let kfake = try KfakeCluster.start(["-shuffle-leaders-every", "700ms", "-drop-every", "0:25", "-drop-every", "1:40"])
        defer { kfake.stop() }
        let topic = TestBroker.uniqueTopicName("kf-moves")
        let count = 100_000, keys = 500
        try await KfakeWorkload.createTopic(topic, partitions: 6, servers: kfake.bootstrapServers)

        var configuration = KafkaProducer.Configuration(bootstrapServers: kfake.bootstrapServers)
        configuration.linger = .milliseconds(5)
        let producer = try KafkaProducer(configuration: configuration)
        let deliveries = try await KfakeWorkload.produce(topic, count: count, keys: keys, with: producer)
        await producer.close()
        #expect(deliveries.failures.isEmpty, "\(deliveries.failures.count) failed: \(deliveries.failures.prefix(3))")
        #expect(deliveries.succeeded == count)

        // The reader runs while leaders keep moving and Fetch connections drop (1:40).
        let values = try await KfakeWorkload.readAll(topic, partitions: 6, count: count, servers: kfake.bootstrapServers,
                                                     timeout: .seconds(120))
        let check = KfakeWorkload.Check(values: values, count: count, keys: keys)
        #expect(check.isExact, "\(check)")
        #expect(values.count == count)
    }

    @Test("a group member reads and commits while leaders move and Fetch, OffsetCommit and Heartbeat connections drop")
    func groupConsumerUnderDrops() async throws {
        let kfake = try KfakeCluster.start(["-shuffle-leaders-every", "1s",
                                            "-drop-every", "1:30", "-drop-every", "8:4", "-drop-every", "12:6"])
        defer { kfake.stop() }
        let topic = TestBroker.uniqueTopicName("kf-group")
        let group = TestBroker.uniqueTopicName("kf-g")
        let count = 3_000, keys = 30
        try await KfakeWorkload.createTopic(topic, partitions: 3, servers: kfake.bootstrapServers)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: kfake.bootstrapServers))
        let deliveries = try await KfakeWorkload.produce(topic, count: count, keys: keys, with: producer)
        await producer.close()
        try #require(deliveries.succeeded == count, "\(deliveries.failures.prefix(3))")

        var configuration = KafkaConsumer.Configuration(bootstrapServers: kfake.bootstrapServers)
        configuration.groupId = group
        configuration.autoOffsetReset = .earliest
        configuration.fetchMaxWait = .milliseconds(100)
        configuration.sessionTimeout = .seconds(10)
        configuration.heartbeatInterval = .milliseconds(300)
        configuration.enableAutoCommit = false
        let consumer = try KafkaConsumer(configuration: configuration)
        try consumer.subscribe(topics: [topic])
        var values: [String] = []
        var sinceCommit = 0
        let deadline = ContinuousClock.now + .seconds(90)
        for try await message in consumer.messages {
            values.append(String(decoding: message.value ?? [], as: UTF8.self))
            sinceCommit += 1
            if sinceCommit == 100 {
                // A commit whose connection drops is retried; it must not fail the reader.
                try await consumer.commit()
                sinceCommit = 0
            }
            if Set(values).count == count || ContinuousClock.now > deadline { break }
        }
        try await consumer.commit()
        let assigned = consumer.assignment
        await consumer.close()

        // At least once: every record read; a record read twice is allowed only after a
        // rebalance, which one member alone never has, so none is.
        let check = KfakeWorkload.Check(values: values, count: count, keys: keys)
        #expect(check.missing == 0 && check.duplicated == 0 && check.foreign == 0, "\(check)")
        #expect(assigned.count == 3)

        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: kfake.bootstrapServers))
        let lag = try await admin.consumerGroupLag(group: group)
        #expect(lag.total == 0, "committed offsets equal the high watermarks: \(lag.partitions)")
        await admin.close()
    }
}
