import KafkaWire
import Testing
@testable import KafkaClient

@Suite("KIP-848: a target assignment naming topics the metadata does not know yet")
struct TargetAssignmentTests {
    let orders = KafkaUUID(high: 1, low: 1)
    let payments = KafkaUUID(high: 2, low: 2)

    func assignment(_ topics: [(KafkaUUID, [Int32])]) -> ConsumerGroupHeartbeatResponse.Assignment {
        ConsumerGroupHeartbeatResponse.Assignment(topicPartitions: topics.map { .init(topicId: $0.0, partitions: $0.1) })
    }

    @Test("a topic without a name is kept, and its partitions join once a refresh names it")
    func unresolvedTopicIsKept() {
        var target = TargetAssignment(assignment([(orders, [0, 1]), (payments, [2])]), previous: nil)
        target.learn([orders: "orders"])
        #expect(target.resolvedPartitions == [TopicPartition(topic: "orders", partition: 0), TopicPartition(topic: "orders", partition: 1)])
        #expect(target.unresolved == [payments])

        target.learn([orders: "orders", payments: "payments"])
        #expect(target.unresolved.isEmpty)
        #expect(target.resolvedPartitions.map(\.topic) == ["orders", "orders", "payments"])
    }

    @Test("a name learnt for an assigned topic survives a metadata answer that misses it")
    func learntNamesAreKept() {
        var first = TargetAssignment(assignment([(orders, [0])]), previous: nil)
        first.learn([orders: "orders"])
        // The broker moves partition 1 of the same topic here; this metadata misses the topic.
        var next = TargetAssignment(assignment([(orders, [0, 1])]), previous: first)
        next.learn([:])
        #expect(next.unresolved.isEmpty)
        #expect(next.resolvedPartitions == [TopicPartition(topic: "orders", partition: 0), TopicPartition(topic: "orders", partition: 1)])
    }

    @Test("names of topics no longer assigned are forgotten")
    func staleNamesAreDropped() {
        var first = TargetAssignment(assignment([(orders, [0])]), previous: nil)
        first.learn([orders: "orders"])
        let next = TargetAssignment(assignment([(payments, [0])]), previous: first)
        #expect(next.names.isEmpty)
        #expect(next.unresolved == [payments])
        #expect(next.resolvedPartitions.isEmpty)
    }
}
