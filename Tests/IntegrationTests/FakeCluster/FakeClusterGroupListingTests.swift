import KafkaClient
import KafkaTesting
import Testing

/// DescribeGroups and ListGroups on the fake cluster, through the admin client.
@Suite("Group listing on the fake cluster")
struct FakeClusterGroupListingTests {
    @Test("a stable group is described with its members, client ids and assignments; listed with its state on every coordinator",
          .timeLimit(.minutes(1)))
    func describeAndList() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("listed", partitions: 4)
        let members = try (0..<2).map { index in
            try FakeClusterConsumerTests.consumer(cluster, group: "described") { $0.cluster.connection.clientId = "member-\(index)" }
        }
        let collectors = members.map { _ in ConsumerGroupTests.Collector() }
        let readers = zip(members, collectors).map { $1.run($0) }
        for member in members { try member.subscribe(topics: ["listed"]) }
        #expect(try await ConsumerGroupTests.waitUntil(.seconds(20)) { ConsumerGroupTests.assignmentsSplit(members, partitions: 4) })
        // A simple consumer's commit makes a group known by its offsets alone.
        let simple = try FakeClusterConsumerTests.consumer(cluster, group: "offsets-only") { $0.enableAutoCommit = false }
        try await simple.commit([TopicPartition(topic: "listed", partition: 0): 3])
        await simple.close()

        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let described = try await admin.describeConsumerGroups(["described", "never-was"])
        let group = try #require(try described["described"]?.get())
        #expect(group.state == "Stable")
        #expect(group.protocolType == "consumer")
        #expect(!group.assignor.isEmpty)
        #expect(Set(group.members.map(\.clientId)) == ["member-0", "member-1"])
        #expect(group.members.allSatisfy { $0.clientHost == "/127.0.0.1" && !$0.memberId.isEmpty })
        let assigned = group.members.flatMap(\.assignment)
        #expect(assigned.count == 4 && Set(assigned) == Set((0..<Int32(4)).map { TopicPartition(topic: "listed", partition: $0) }))
        #expect(Set(group.members.map(\.assignment)) == Set(members.map { $0.assignment.sorted { $0.partition < $1.partition } }))
        let missing = try #require(try described["never-was"]?.get())
        #expect(missing.state == "Dead" && missing.members.isEmpty)

        let listed = try await admin.listConsumerGroups()
        #expect(listed.first { $0.groupId == "described" }.map { [$0.state, $0.type, $0.protocolType] } == ["Stable", "classic", "consumer"])
        #expect(listed.first { $0.groupId == "offsets-only" }.map { [$0.state, $0.protocolType] } == ["Empty", ""])

        for member in members { await member.close() }
        for reader in readers { await reader.value }
        let afterwards = try #require(try await admin.describeConsumerGroups(["described"])["described"]?.get())
        #expect(afterwards.state == "Empty" && afterwards.members.isEmpty)
        await admin.close()
    }
}
