import Testing
@testable import KafkaClient

@Suite("Consumer group assignors")
struct PartitionAssignorTests {
    static func partitions(_ topic: String, _ indexes: ClosedRange<Int32>) -> [TopicPartition] {
        indexes.map { TopicPartition(topic: topic, partition: $0) }
    }

    @Test("range: consecutive ranges per topic, the first members take the remainder")
    func range() {
        let members = ["c", "a", "b"].map { GroupMemberSubscription(memberId: $0, topics: ["t", "u"]) }
        let plan = RangeAssignor().assign(members, partitionCounts: ["t": 7, "u": 2])
        #expect(plan["a"] == Self.partitions("t", 0...2) + Self.partitions("u", 0...0))
        #expect(plan["b"] == Self.partitions("t", 3...4) + Self.partitions("u", 1...1))
        #expect(plan["c"] == Self.partitions("t", 5...6))
    }

    @Test("roundrobin: partitions dealt in turn, skipping members not subscribed")
    func roundRobin() {
        let members = [GroupMemberSubscription(memberId: "a", topics: ["t"]), GroupMemberSubscription(memberId: "b", topics: ["t", "u"])]
        let plan = RoundRobinAssignor().assign(members, partitionCounts: ["t": 3, "u": 2])
        #expect(plan["a"] == [TopicPartition(topic: "t", partition: 0), TopicPartition(topic: "t", partition: 2)])
        #expect(plan["b"] == [TopicPartition(topic: "t", partition: 1)] + Self.partitions("u", 0...1))
    }

    @Test("every assignor hands out each partition exactly once, for many group shapes", arguments: [1, 2, 3, 5, 8])
    func coverage(memberCount: Int) {
        let members = (0..<memberCount).map { GroupMemberSubscription(memberId: "m\($0)", topics: ["x", "y", "z"]) }
        let counts: [String: Int32] = ["x": 6, "y": 1, "z": 13]
        for assignor in [RangeAssignor() as any KafkaPartitionAssignor, RoundRobinAssignor(), CooperativeStickyAssignor()] {
            let handed = assignor.assign(members, partitionCounts: counts).values.flatMap { $0 }
            #expect(handed.count == 20, "\(assignor.name)")
            #expect(Set(handed).count == 20, "\(assignor.name)")
        }
    }

    @Test("a topic that does not exist assigns nothing")
    func missingTopic() {
        let plan = RangeAssignor().assign([GroupMemberSubscription(memberId: "a", topics: ["gone"])], partitionCounts: [:])
        #expect(plan["a"] == [])
    }
}
