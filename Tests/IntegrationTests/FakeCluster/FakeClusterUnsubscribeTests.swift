import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// `commit(_ message:)` and `unsubscribe()` against the in-process fake cluster.
@Suite("commit(message) and unsubscribe on the fake cluster")
struct FakeClusterUnsubscribeTests {
    typealias Consumers = FakeClusterConsumerTests
    typealias Groups = ConsumerGroupTests

    @Test("commit(message) commits the offset after the message, for the message's partition only")
    func commitMessage() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await Consumers.fill(cluster, topic: "single", partitions: 2, perPartition: 5)
        let consumer = try Consumers.consumer(cluster, group: "one-by-one") { $0.enableAutoCommit = false }
        consumer.assign([TopicPartition(topic: "single", partition: 1): .earliest])
        var third: KafkaConsumerMessage?
        var read = 0
        for try await message in consumer.messages {
            read += 1
            if read == 3 {
                third = message
                break
            }
        }
        let message = try #require(third)
        try await consumer.commit(message)
        #expect(cluster.committedOffset(group: "one-by-one", topic: "single", partition: 1) == message.offset + 1)
        #expect(cluster.committedOffset(group: "one-by-one", topic: "single", partition: 0) == nil)
        await consumer.close()
    }

    @Test("unsubscribe commits, revokes, leaves the group at once and stops fetching; subscribing again resumes")
    func unsubscribeLeavesCleanly() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await Consumers.fill(cluster, topic: "leaving", partitions: 2, perPartition: 50)
        let revoked = VisibleLock<[TopicPartition]>([])
        // A long session: only a LeaveGroup, not an expiry, lets the group settle quickly.
        let consumer = try Consumers.consumer(cluster, group: "quitters") {
            $0.sessionTimeout = .seconds(30)
            $0.autoCommitInterval = .seconds(60)
            $0.onRebalance = { change in if case .revoked(let partitions) = change { revoked.withLock { $0 += partitions } } }
        }
        let collector = Groups.Collector()
        let reader = collector.run(consumer)
        try consumer.subscribe(topics: ["leaving"])
        let readAll = try await Groups.waitUntil(.seconds(20)) { collector.count == 100 }
        #expect(readAll)

        await consumer.unsubscribe()
        #expect(consumer.assignment.isEmpty)
        #expect(Set(revoked.withLock { $0 }) == [TopicPartition(topic: "leaving", partition: 0), TopicPartition(topic: "leaving", partition: 1)])
        #expect(cluster.receivedRequests.contains { $0.apiKey == .leaveGroup })
        #expect(cluster.groupState("quitters")?.members == 0)
        // The revoke committed what was read (the last record counts once the next is asked for).
        #expect((0..<Int32(2)).allSatisfy { (cluster.committedOffset(group: "quitters", topic: "leaving", partition: $0) ?? 0) >= 49 })

        // No more fetching: requests stop arriving for the topic.
        try await Task.sleep(for: .milliseconds(300))
        let fetches = cluster.receivedRequests.filter { $0.apiKey == .fetch }.count
        try await Task.sleep(for: .milliseconds(500))
        #expect(cluster.receivedRequests.filter { $0.apiKey == .fetch }.count == fetches)

        // The consumer can join again; it reads only what arrives after its commits.
        try consumer.subscribe(topics: ["leaving"])
        let rejoined = try await Groups.waitUntil(.seconds(20)) { cluster.groupState("quitters")?.members == 1 && !consumer.assignment.isEmpty }
        #expect(rejoined)
        await consumer.close()
        await reader.value
    }

    @Test("unsubscribe without a subscription drops a manual assignment")
    func unsubscribeDropsManualAssignment() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("manual", partitions: 1)
        let consumer = try Consumers.consumer(cluster)
        consumer.assign([TopicPartition(topic: "manual", partition: 0): .earliest])
        await consumer.unsubscribe()
        #expect(consumer.assignment.isEmpty)
        await consumer.close()
    }
}
