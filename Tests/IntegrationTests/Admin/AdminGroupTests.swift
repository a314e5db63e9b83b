import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// The admin client's consumer-group and offset operations on the real broker.
@Suite("Admin client: groups, offsets and lag")
struct AdminGroupTests {
    /// A topic with `perPartition` records in each of `partitions` partitions, one batch
    /// per record: Tansu's high watermark is the last batch's base offset + 1 (TANSU.md),
    /// which equals Kafka's only when every batch holds one record.
    static func filledTopic(_ prefix: String, partitions: Int32, perPartition: Int) async throws -> String {
        let topic = TestBroker.uniqueTopicName(prefix)
        try await KafkaProducerTests.createTopic(topic, partitions: partitions)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration { $0.linger = .zero })
        for partition in 0..<partitions {
            for index in 0..<perPartition {
                _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: partition, key: nil, value: "p\(partition)-\(index)"))
            }
        }
        await producer.close()
        return topic
    }

    @Test("list offsets earliest and latest per partition; an unknown partition fails alone")
    func listOffsets() async throws {
        let admin = try AdminTopicTests.admin()
        let topic = try await Self.filledTopic("adm-off", partitions: 2, perPartition: 7)
        let p0 = TopicPartition(topic: topic, partition: 0), p1 = TopicPartition(topic: topic, partition: 1)
        let missing = TopicPartition(topic: topic, partition: 9)
        let latest = try await admin.listOffsets([p0: .latest, p1: .latest, missing: .latest])
        #expect(try latest[p0]?.get().offset == 7)
        #expect(try latest[p1]?.get().offset == 7)
        #expect(AdminTopicTests.brokerCode(latest[missing]) == .unknownTopicOrPartition)
        let earliest = try await admin.listOffsets([p0: .earliest])
        #expect(try earliest[p0]?.get().offset == 0)
        await admin.close()
    }

    @Test("commit offsets for a group, list them, read the lag, reset to earliest and latest, delete the group")
    func offsetsAndLag() async throws {
        let admin = try AdminTopicTests.admin()
        let topic = try await Self.filledTopic("adm-lag", partitions: 2, perPartition: 10)
        let group = TestBroker.uniqueTopicName("adm-g")
        let p0 = TopicPartition(topic: topic, partition: 0), p1 = TopicPartition(topic: topic, partition: 1)

        let altered = try await admin.alterConsumerGroupOffsets(group: group, offsets: [p0: 4, p1: 9])
        #expect(altered.count == 2)
        #expect(altered.values.allSatisfy { (try? $0.get()) != nil })
        #expect(try await admin.listConsumerGroupOffsets(group: group) == [p0: 4, p1: 9])

        let lag = try await admin.consumerGroupLag(group: group)
        #expect(lag.partitions[p0] == PartitionLag(committed: 4, end: 10, lag: 6))
        #expect(lag.partitions[p1] == PartitionLag(committed: 9, end: 10, lag: 1))
        #expect(lag.total == 7)

        let toEarliest = try await admin.resetConsumerGroupOffsets(group: group, partitions: [p0, p1], to: .earliest)
        #expect(try toEarliest[p0]?.get() == 0)
        #expect(try await admin.consumerGroupLag(group: group).total == 20)
        let toLatest = try await admin.resetConsumerGroupOffsets(group: group, partitions: [p0], to: .latest)
        #expect(try toLatest[p0]?.get() == 10)
        #expect(try await admin.listConsumerGroupOffsets(group: group, partitions: [p0]) == [p0: 10])

        let listed = try await admin.listConsumerGroups()
        #expect(listed.contains { $0.groupId == group })
        let described = try await admin.describeConsumerGroups([group])
        #expect(try described[group]?.get().groupId == group)

        let deleted = try await admin.deleteConsumerGroups([group])
        #expect((try? deleted[group]?.get()) != nil, "\(String(describing: deleted[group]))")
        // Kafka answers a deleted group's OffsetFetch with no offsets; kfake with
        // GROUP_ID_NOT_FOUND (its README): either way, nothing is committed.
        do {
            #expect(try await admin.listConsumerGroupOffsets(group: group).isEmpty)
        } catch {
            #expect(TestBroker.isKfake && error.brokerErrorCode == .groupIdNotFound, "\(error)")
        }
        await admin.close()
    }

    @Test("a live consumer group is listed and described with its protocol")
    func liveGroup() async throws {
        let admin = try AdminTopicTests.admin()
        let topic = try await Self.filledTopic("adm-live", partitions: 2, perPartition: 3)
        let group = TestBroker.uniqueTopicName("adm-live-g")
        let consumer = try ConsumerGroupTests.member(group: group)
        try consumer.subscribe(topics: [topic])
        let read = try await KafkaConsumerTests.read(6, from: consumer, timeout: .seconds(30))
        #expect(read.count == 6)
        // Tansu lists only groups that have committed offsets.
        try await consumer.commit()
        let groups = try await admin.listConsumerGroups()
        let listing = try #require(groups.first { $0.groupId == group }, "listed: \(groups)")
        #expect(listing.protocolType == "consumer")
        let description = try #require(try await admin.describeConsumerGroups([group])[group]?.get())
        #expect(description.protocolType == "consumer")
        // Tansu reports no members (TANSU.md); Kafka lists each with its decoded assignment.
        #expect(description.members.allSatisfy { !$0.memberId.isEmpty })
        await consumer.close()
        await admin.close()
    }

    @Test("describe the cluster: its id, brokers and controller")
    func describeCluster() async throws {
        let admin = try AdminTopicTests.admin()
        let cluster = try await admin.describeCluster()
        let bootstrap = try TestBroker.bootstrap()
        #expect(!cluster.brokers.isEmpty)
        #expect(cluster.brokers.contains { $0.port == bootstrap.port })
        #expect(cluster.clusterId?.isEmpty == false)
        await admin.close()
    }
}
