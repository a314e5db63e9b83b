import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// Partitions added to a subscribed topic are read: the group leader sees the new
/// count in metadata and rebalances, as the Java client's leader does (issue: only
/// pattern subscriptions looked for changes, so new partitions went unread).
@Suite("Consumer groups: partitions added to a subscribed topic",
       .enabled(if: TestBroker.isKfake, "Tansu has no CreatePartitions (TANSU.md); runs in scripts/test.sh's kfake pass"))
struct PartitionGrowthGroupTests {
    typealias Groups = ConsumerGroupTests

    @Test("two members of an eager group and a cooperative one: after CreatePartitions every new partition is assigned and read",
          arguments: [false, true])
    func newPartitionsAreRead(cooperative: Bool) async throws {
        let topic = TestBroker.uniqueTopicName("grow")
        let group = TestBroker.uniqueTopicName("g-grow")
        try await KafkaProducerTests.createTopic(topic, partitions: 2)
        let consumers = try (0..<2).map { _ in
            try Groups.member(group: group) {
                $0.cluster.metadataMaxAge = .seconds(1)
                if cooperative { $0.partitionAssignors = [CooperativeStickyAssignor()] }
            }
        }
        let collectors = consumers.map { _ in Groups.Collector() }
        let tasks = zip(consumers, collectors).map { $1.run($0) }
        for consumer in consumers { try consumer.subscribe(topics: [topic]) }
        #expect(try await Groups.waitUntil(.seconds(40)) { Groups.assignmentsSplit(consumers, partitions: 2) })

        let admin = try AdminTopicTests.admin()
        _ = try await admin.createPartitions([topic: 4])
        await admin.close()
        #expect(try await Groups.waitUntil(.seconds(30)) { Groups.assignmentsSplit(consumers, partitions: 4) },
                "assignments: \(consumers.map(\.assignment))")
        try await KafkaConsumerTests.produce(topic, partitions: 4, count: 10)
        #expect(try await Groups.waitUntil { collectors.map(\.count).reduce(0, +) == 40 })
        let partitionsRead = Set(collectors.flatMap(\.keys).compactMap { $0.split(separator: "@").first.flatMap { Int32($0) } })
        #expect(partitionsRead == [0, 1, 2, 3])
        for consumer in consumers { await consumer.close() }
        for task in tasks { await task.value }
    }
}
