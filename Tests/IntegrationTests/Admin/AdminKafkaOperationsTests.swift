import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// The admin operations Tansu lacks or gets wrong (TANSU.md), on a broker that
/// implements them as Kafka does (kfake): each one's effect, read back.
@Suite("Admin client: operations Tansu lacks, on kfake",
       .enabled(if: TestBroker.isKfake, "Tansu lacks these operations; AdminUnsupportedTests checks their typed errors there"))
struct AdminKafkaOperationsTests {
    @Test("CreatePartitions, AlterConfigs, DeleteRecords, max-timestamp ListOffsets, DescribeProducers, OffsetDelete: their effects")
    func operations() async throws {
        let admin = try AdminTopicTests.admin()
        let topic = try await AdminGroupTests.filledTopic("adm-kafka", partitions: 1, perPartition: 4)
        let partition = TopicPartition(topic: topic, partition: 0)

        _ = try await admin.createPartitions([topic: 3])
        #expect(try await admin.describeTopics([topic])[topic]?.get().partitions.count == 3)

        _ = try await admin.alterConfigs([.topic(topic): ["retention.ms": "123456"]])
        let configs = try await admin.describeConfigs([.topic(topic)], keys: ["retention.ms"])
        #expect(try configs[.topic(topic)]?.get()["retention.ms"]?.value == "123456")

        // DeleteRecords moves the log start; earliest follows it, latest stays.
        let deleted = try await admin.deleteRecords(before: [partition: 2])
        #expect(try deleted[partition]?.get() == 2)
        #expect(try await admin.listOffsets([partition: .earliest])[partition]?.get().offset == 2)
        #expect(try await admin.listOffsets([partition: .latest])[partition]?.get().offset == 4)
        // Each record was sent alone, later than the one before: the last has the largest timestamp.
        #expect(try await admin.listOffsets([partition: .maxTimestamp])[partition]?.get().offset == 3)

        // kfake lists only transactional producers here, Kafka idempotent ones too: the call must succeed.
        let producers = try await admin.describeProducers([partition])
        #expect((try? producers[partition]?.get()) != nil, "\(producers)")

        let unknownGroup = TestBroker.uniqueTopicName("g")
        await #expect(throws: KafkaError.self) {
            _ = try await admin.deleteConsumerGroupOffsets(group: unknownGroup, partitions: [partition])
        }
        await admin.close()
    }
}
