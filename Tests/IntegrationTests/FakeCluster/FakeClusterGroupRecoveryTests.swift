import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// How a classic group member recovers from the coordinator's answers, as the
/// Java client's `AbstractCoordinator` does.
@Suite("Consumer groups on the fake cluster: recovering membership")
struct FakeClusterGroupRecoveryTests {
    @Test("ILLEGAL_GENERATION on a heartbeat: the member rejoins under the same member id and reads on (issue: it took a new id)",
          .timeLimit(.minutes(1)))
    func illegalGenerationKeepsMemberId() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await FakeClusterPartitionIsolationTests.fill(cluster, topic: "generations", partitions: 2, each: 5)
        let joinedAs = VisibleLock<[String]>([])
        cluster.setRequestHook { request in
            if request.apiKey == .joinGroup, let join = try? request.decode(JoinGroupRequest.self), !join.memberId.isEmpty {
                joinedAs.withLock { $0.append(join.memberId) }
            }
            return .proceed
        }
        let consumer = try FakeClusterConsumerTests.consumer(cluster, group: "generations")
        try consumer.subscribe(topics: ["generations"])
        var read = 0
        for try await _ in consumer.messages {
            read += 1
            if read == 10 { break }
        }
        let firstId = try #require(joinedAs.withLock { $0.last })
        cluster.inject(FakeClusterFault(.error(.illegalGeneration), on: .heartbeat))
        _ = try await ConsumerGroupTests.waitUntil(.seconds(10)) { (cluster.groupState("generations")?.generation ?? 0) >= 2 }
        let producer = try FakeClusterAimedFaultTests.producer(cluster)
        for partition in Int32(0)..<2 {
            _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "generations", partition: partition, value: "after"))
        }
        await producer.close()
        for try await _ in consumer.messages {
            read += 1
            if read == 12 { break }
        }
        await consumer.close()
        #expect(cluster.pendingFaults == 0)
        #expect(joinedAs.withLock { $0 }.allSatisfy { $0 == firstId }, "rejoined as \(joinedAs.withLock { $0 }), first as \(firstId)")
        #expect(joinedAs.withLock { $0.count } >= 2, "the member rejoined")
    }
}

/// What a static member's commits carry.
@Suite("Consumer groups on the fake cluster: static member commits")
struct FakeClusterStaticCommitTests {
    @Test("a static member's OffsetCommit names its group.instance.id (issue: it was left out)", .timeLimit(.minutes(1)))
    func commitCarriesInstanceId() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await FakeClusterPartitionIsolationTests.fill(cluster, topic: "static-commit", partitions: 1, each: 3)
        let instanceIds = VisibleLock<[String?]>([])
        cluster.setRequestHook { request in
            if request.apiKey == .offsetCommit, let commit = try? request.decode(OffsetCommitRequest.self) {
                instanceIds.withLock { $0.append(commit.groupInstanceId) }
            }
            return .proceed
        }
        let consumer = try FakeClusterConsumerTests.consumer(cluster, group: "static-commit") {
            $0.groupInstanceId = "member-a"
            $0.enableAutoCommit = false
        }
        try consumer.subscribe(topics: ["static-commit"])
        var read = 0
        for try await _ in consumer.messages {
            read += 1
            if read == 3 { break }
        }
        try await consumer.commit()
        await consumer.close()
        #expect(cluster.committedOffset(group: "static-commit", topic: "static-commit", partition: 0) == 3)
        #expect(!instanceIds.withLock { $0 }.isEmpty && instanceIds.withLock { $0 }.allSatisfy { $0 == "member-a" },
                "\(instanceIds.withLock { $0 })")
    }
}

/// Auto-commit must not hold up heartbeats (issue: the commit, with its retries, ran
/// inside the heartbeat loop). A guard: the fake cluster, like Kafka's coordinator,
/// counts a member's OffsetCommit as a sign of life, so this passed before the commit
/// moved to its own task too; it holds the member in its generation through a commit
/// retried for longer than the session, and the commit landing afterwards.
@Suite("Consumer groups on the fake cluster: slow auto-commits")
struct FakeClusterSlowAutoCommitTests {
    @Test("OffsetCommit answers COORDINATOR_LOAD_IN_PROGRESS for 5 s, longer than the 2 s session: the member keeps its generation, and the commit lands",
          .timeLimit(.minutes(1)))
    func slowCommitKeepsMembership() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await FakeClusterPartitionIsolationTests.fill(cluster, topic: "slow-commit", partitions: 1, each: 5)
        let slow = VisibleLock(true)
        cluster.setRequestHook { request in
            // The commit is retried (as commitSync does) while this lasts.
            request.apiKey == .offsetCommit && slow.withLock({ $0 }) ? .fail(.coordinatorLoadInProgress) : .proceed
        }
        let consumer = try FakeClusterConsumerTests.consumer(cluster, group: "slow-commit") {
            $0.sessionTimeout = .seconds(2)
            $0.heartbeatInterval = .milliseconds(200)
            $0.autoCommitInterval = .milliseconds(200)
            $0.cluster.connection.requestTimeout = .seconds(10)
        }
        try consumer.subscribe(topics: ["slow-commit"])
        var iterator = consumer.messages.makeAsyncIterator()
        for _ in 0..<5 { _ = try await iterator.next() }
        let generation = try #require(try await ConsumerGroupTests.waitUntil(.seconds(5)) { cluster.groupState("slow-commit") != nil }
            ? cluster.groupState("slow-commit")?.generation : nil)
        try await Task.sleep(for: .seconds(5))
        #expect(cluster.groupState("slow-commit")?.generation == generation, "heartbeats stopped while a commit waited: the group rebalanced")
        slow.withLock { $0 = false }
        await consumer.close()
        // Offset 4 was still in the application's hand (it never asked for the next).
        #expect(cluster.committedOffset(group: "slow-commit", topic: "slow-commit", partition: 0) == 4)
    }
}
