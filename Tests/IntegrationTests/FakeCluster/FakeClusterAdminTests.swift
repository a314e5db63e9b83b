import KafkaClient
import KafkaTesting
import Testing

/// The admin client's topic calls against the fake cluster.
@Suite("Admin client on the fake cluster")
struct FakeClusterAdminTests {
    @Test("create, list, delete records (a reader then starts at the new log start) and delete topics")
    func topicLifecycle() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let created = try await admin.createTopics([NewTopic(name: "admin-made", partitions: 3), NewTopic(name: "bad name", partitions: 1)])
        #expect((try? created["admin-made"]?.get()) != nil)
        #expect(created["bad name"].map { if case .failure = $0 { true } else { false } } == true)
        #expect(try await admin.listTopics().map(\.name).contains("admin-made"))
        let again = try await admin.createTopics([NewTopic(name: "admin-made", partitions: 3)])
        #expect((try? again["admin-made"]?.get()) == nil)

        try await FakeClusterConsumerTests.produce(cluster, topic: "admin-made", values: (0..<10).map { "\($0)" })
        let partition = TopicPartition(topic: "admin-made", partition: 0)
        let deleted = try await admin.deleteRecords(before: [partition: 4])
        #expect(try deleted[partition]?.get() == 4)
        let consumer = try FakeClusterConsumerTests.consumer(cluster)
        consumer.assign([partition: .earliest])
        var iterator = consumer.messages.makeAsyncIterator()
        let first = try await iterator.next()
        await consumer.close()
        #expect(first?.offset == 4)

        let gone = try await admin.deleteTopics(["admin-made", "never-was"])
        #expect((try? gone["admin-made"]?.get()) != nil)
        #expect((try? gone["never-was"]?.get()) == nil)
        #expect(!(try await admin.listTopics().map(\.name).contains("admin-made")))
        await admin.close()
    }
}
