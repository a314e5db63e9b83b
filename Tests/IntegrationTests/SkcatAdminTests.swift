import KafkaClient
import KafkaTestSupport
import Testing

/// `skcat admin` as a process against the real broker.
@Suite("skcat admin")
struct SkcatAdminTests {
    static func admin(_ words: [String]) async throws -> SkcatRunner.Result {
        try await SkcatRunner.run(["admin"] + words + ["-b", try SkcatRunner.brokers()])
    }

    @Test("topics create, list, describe, configs set and describe, delete; a duplicate exits 1 with the reason")
    func topics() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-adm")
        let created = try await Self.admin(["topics", "create", topic, "-p", "3", "-r", "1", "--config", "retention.ms=86400000"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.hasPrefix("\(topic)\tcreated"))
        let duplicate = try await Self.admin(["topics", "create", topic, "-p", "3", "-r", "1"])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("TOPIC_ALREADY_EXISTS") || duplicate.stderr.contains("already exists"), "\(duplicate.stderr)")

        let listed = try await Self.admin(["topics", "list"])
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").contains { $0.hasPrefix("\(topic)\t") })
        let described = try await Self.admin(["topics", "describe", topic])
        #expect(described.stdout.split(separator: "\n").count == 3, "\(described.stdout)")

        let set = try await Self.admin(["configs", "set", "--topic", topic, "retention.ms=1234567"])
        #expect(set.status == 0, "\(set.stderr)")
        let configs = try await Self.admin(["configs", "describe", "--topic", topic, "retention.ms"])
        #expect(configs.stdout.hasPrefix("retention.ms\t1234567"), "\(configs.stdout)")

        let deleted = try await Self.admin(["topics", "delete", topic])
        #expect(deleted.status == 0 && deleted.stdout.contains("deleted"))
        let missing = try await Self.admin(["topics", "describe", topic])
        #expect(missing.status == 1)
        let usage = try await Self.admin(["topics", "create"])
        #expect(usage.status == 2)
    }

    @Test("groups list and lag after offsets are committed")
    func groupLag() async throws {
        let topic = try await AdminGroupTests.filledTopic("skcat-lag", partitions: 1, perPartition: 5)
        let group = TestBroker.uniqueTopicName("skcat-g")
        let admin = try AdminTopicTests.admin()
        _ = try await admin.alterConsumerGroupOffsets(group: group, offsets: [TopicPartition(topic: topic, partition: 0): 2])
        await admin.close()
        let listed = try await Self.admin(["groups", "list"])
        #expect(listed.stdout.split(separator: "\n").contains { $0.hasPrefix("\(group)\t") }, "\(listed.stdout)")
        let lag = try await Self.admin(["groups", "lag", group])
        #expect(lag.status == 0, "\(lag.stderr)")
        #expect(lag.stdout.split(separator: "\n").map(String.init) == ["\(topic)\t0\t2\t5\t3", "total\t3"])
    }
}
