import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// The admin client's topic and configuration operations on the real broker.
@Suite("Admin client: topics and configs")
struct AdminTopicTests {
    static func admin() throws -> KafkaAdminClient {
        try KafkaAdminClient(configuration: .init(bootstrapServers: ["\(try TestBroker.bootstrap())"]))
    }

    @Test("create topics: valid ones succeed; a duplicate, a bad name and bad counts fail per item, the rest unaffected")
    func createTopics() async throws {
        let admin = try Self.admin()
        let good = TestBroker.uniqueTopicName("adm-good")
        let configured = TestBroker.uniqueTopicName("adm-conf")
        let first = try await admin.createTopics([NewTopic(name: good, partitions: 3, replicationFactor: 1)])
        #expect(try first[good]?.get().name == good)

        let results = try await admin.createTopics([
            NewTopic(name: good, partitions: 3, replicationFactor: 1),
            NewTopic(name: configured, partitions: 2, replicationFactor: 1, configs: ["retention.ms": "3600000"]),
            NewTopic(name: "bad name!", partitions: 1, replicationFactor: 1),
            NewTopic(name: TestBroker.uniqueTopicName("adm-neg"), partitions: -5, replicationFactor: 1),
            NewTopic(name: TestBroker.uniqueTopicName("adm-rf"), partitions: 1, replicationFactor: 0),
            NewTopic(name: String(repeating: "x", count: 250), partitions: 1, replicationFactor: 1),
        ])
        #expect(results.count == 6)
        #expect(Self.brokerCode(results[good]) == .topicAlreadyExists)
        #expect((try? results[configured]?.get())?.name == configured)
        #expect(Self.brokerCode(results["bad name!"]) == .invalidTopicException)
        #expect(Self.brokerCode(results[String(repeating: "x", count: 250)]) == .invalidTopicException)
        #expect(results.values.filter { Self.brokerCode($0) == .invalidPartitions }.count == 1)
        #expect(results.values.filter { Self.brokerCode($0) == .invalidReplicationFactor }.count == 1)

        let described = try await admin.describeTopics([good, configured])
        #expect(try described[good]?.get().partitions.map(\.partition) == [0, 1, 2])
        #expect(try described[configured]?.get().partitions.count == 2)
        await admin.close()
    }

    static func brokerCode<T>(_ result: Result<T, KafkaError>?) -> KafkaErrorCode? {
        guard case .failure(let error) = result else { return nil }
        return error.brokerErrorCode
    }

    @Test("list, describe and delete topics; describing a missing topic is a per-topic UNKNOWN_TOPIC_OR_PARTITION")
    func listDescribeDelete() async throws {
        let admin = try Self.admin()
        let topic = TestBroker.uniqueTopicName("adm-del")
        _ = try await admin.createTopics([NewTopic(name: topic, partitions: 2, replicationFactor: 1)])
        let listed = try await admin.listTopics()
        let listing = try #require(listed.first { $0.name == topic })
        #expect(!listing.isInternal)

        let missing = TestBroker.uniqueTopicName("adm-missing")
        let described = try await admin.describeTopics([topic, missing, ".."])
        let description = try #require(try described[topic]?.get())
        #expect(description.partitions.count == 2)
        #expect(description.partitions.allSatisfy { $0.leaderId >= 0 && $0.replicas.contains($0.leaderId) && !$0.inSyncReplicas.isEmpty })
        #expect(description.topicId == listing.topicId)
        #expect(Self.brokerCode(described[missing]) == .unknownTopicOrPartition)
        #expect(Self.brokerCode(described[".."]) == .invalidTopicException)

        let deleted = try await admin.deleteTopics([topic, missing])
        #expect((try? deleted[topic]?.get()) != nil)
        #expect(Self.brokerCode(deleted[missing]) == .unknownTopicOrPartition)
        let after = try await admin.listTopics()
        #expect(!after.contains { $0.name == topic })
        await admin.close()
    }

    @Test("topic configs: set and delete incrementally and described; each resource of a call has its own outcome")
    func configs() async throws {
        let admin = try Self.admin()
        let topic = TestBroker.uniqueTopicName("adm-cfg")
        let other = TestBroker.uniqueTopicName("adm-cfg2")
        _ = try await admin.createTopics([NewTopic(name: topic, partitions: 1, replicationFactor: 1),
                                          NewTopic(name: other, partitions: 1, replicationFactor: 1)])
        let altered = try await admin.incrementalAlterConfigs([
            .topic(topic): [.set("retention.ms", "123456"), .set("cleanup.policy", "compact")],
        ])
        #expect((try? altered[.topic(topic)]?.get()) != nil, "\(String(describing: altered[.topic(topic)]))")

        let described = try await admin.describeConfigs([.topic(topic)], keys: ["retention.ms", "cleanup.policy"])
        let entries = try #require(try described[.topic(topic)]?.get())
        #expect(entries["retention.ms"]?.value == "123456")
        // (Tansu reports the source of a set value as DEFAULT_CONFIG; Kafka says DYNAMIC_TOPIC_CONFIG.)
        #expect(entries["cleanup.policy"]?.value == "compact")

        let deleted = try await admin.incrementalAlterConfigs([.topic(topic): [.delete("retention.ms")]])
        #expect((try? deleted[.topic(topic)]?.get()) != nil)
        let again = try await admin.describeConfigs([.topic(topic)], keys: ["retention.ms"])
        #expect(try again[.topic(topic)]?.get()["retention.ms"]?.value != "123456")

        // Per resource: one call, three resources, three outcomes.
        let missing = TestBroker.uniqueTopicName("adm-cfg-missing")
        let mixed = try await admin.incrementalAlterConfigs([
            .topic(other): [.set("retention.ms", "654321")],
            .topic(topic): [.set("no.such.config", "1")],
            .topic(missing): [.set("retention.ms", "1")],
        ])
        #expect((try? mixed[.topic(other)]?.get()) != nil)
        let describedMixed = try await admin.describeConfigs([.topic(other), .topic(missing)], keys: ["retention.ms"])
        // Tansu accepts unknown keys and topics; Kafka's per-resource refusals are mapped in AdminResponseTests.
        #expect(try describedMixed[.topic(other)]?.get()["retention.ms"]?.value == "654321")
        await admin.close()
    }
}
