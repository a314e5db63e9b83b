import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Synchronization
import Testing

/// Consumer groups on the real broker (classic protocol, eager rebalancing).
/// Tansu holds a group's first JoinGroup for about half the session timeout, so
/// these tests use a 6-second session (TANSU.md).
@Suite("Consumer groups on the real broker")
struct ConsumerGroupTests {
    static func member(group: String, _ configure: (inout KafkaConsumer.Configuration) -> Void = { _ in }) throws -> KafkaConsumer {
        try KafkaConsumerTests.consumer {
            $0.groupId = group
            $0.autoOffsetReset = .earliest
            $0.sessionTimeout = .seconds(6)
            $0.rebalanceTimeout = .seconds(10)
            $0.heartbeatInterval = .milliseconds(500)
            $0.autoCommitInterval = .milliseconds(500)
            configure(&$0)
        }
    }

    /// Collects what a consumer reads, keyed by partition and offset.
    final class Collector: Sendable {
        let seen = VisibleLock<[String: Int]>([:])
        /// Reads until the consumer closes; with `pauseEvery`, sleeps `pause` after each
        /// that many records, a slow application.
        func run(_ consumer: KafkaConsumer, pauseEvery: Int = 0, pause: Duration = .zero) -> Task<Void, Never> {
            Task {
                var read = 0
                do {
                    for try await message in consumer.messages {
                        seen.withLock { $0["\(message.partition)@\(message.offset)", default: 0] += 1 }
                        read += 1
                        if pauseEvery > 0, read.isMultiple(of: pauseEvery) { try? await Task.sleep(for: pause) }
                    }
                } catch {}
            }
        }
        var count: Int { seen.withLock { $0.values.reduce(0, +) } }
        var keys: Set<String> { seen.withLock { Set($0.keys) } }
    }

    static func waitUntil(_ timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    static func assignmentsSplit(_ consumers: [KafkaConsumer], partitions: Int) -> Bool {
        let all = consumers.map(\.assignment)
        let union = all.reduce(into: Set<TopicPartition>()) { $0.formUnion($1) }
        return union.count == partitions && all.map(\.count).reduce(0, +) == partitions && all.allSatisfy { !$0.isEmpty }
    }

    @Test("one member gets every partition and reads every record")
    func singleMember() async throws {
        let topic = TestBroker.uniqueTopicName("group1")
        try await KafkaProducerTests.createTopic(topic, partitions: 6)
        try await KafkaConsumerTests.produce(topic, partitions: 6, count: 50)
        let consumer = try Self.member(group: TestBroker.uniqueTopicName("g"))
        try consumer.subscribe(topics: [topic])
        let collector = Collector()
        let reading = collector.run(consumer)
        #expect(try await Self.waitUntil { collector.count == 300 })
        #expect(consumer.assignment.count == 6)
        #expect(collector.keys.count == 300)
        await consumer.close()
        await reading.value
    }

    @Test("three members split six partitions; one leaves and the rest take over; every record read exactly once")
    func threeMembersScaleDown() async throws {
        let topic = TestBroker.uniqueTopicName("group3")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 6)
        let consumers = try (0..<3).map { _ in try Self.member(group: group) }
        let collectors = consumers.map { _ in Collector() }
        for consumer in consumers { try consumer.subscribe(topics: [topic]) }
        let readers = zip(consumers, collectors).map { $1.run($0) }
        #expect(try await Self.waitUntil(.seconds(40)) { Self.assignmentsSplit(consumers, partitions: 6) },
                "assignments: \(consumers.map(\.assignment.count))")

        try await KafkaConsumerTests.produce(topic, partitions: 6, count: 100)
        #expect(try await Self.waitUntil { collectors.map(\.count).reduce(0, +) == 600 })

        // One member leaves (committing what it read); the others rebalance and carry on.
        await consumers[2].close()
        await readers[2].value
        #expect(try await Self.waitUntil(.seconds(40)) { Self.assignmentsSplit(Array(consumers[0...1]), partitions: 6) },
                "assignments: \(consumers[0...1].map(\.assignment.count))")
        try await KafkaConsumerTests.produce(topic, partitions: 6, count: 50)
        #expect(try await Self.waitUntil { collectors.map(\.count).reduce(0, +) >= 900 })
        try await Task.sleep(for: .milliseconds(500))
        let total = collectors.map(\.count).reduce(0, +)
        let distinct = collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        #expect(distinct.count == 900)
        #expect(total == 900, "no record read twice across the group")
        for consumer in consumers[0...1] { await consumer.close() }
        for reader in readers[0...1] { await reader.value }
    }

    @Test("a group mixing our consumer and a librdkafka consumer splits the partitions without overlap")
    func mixedGroupWithLibrdkafka() async throws {
        guard PythonPeer.hasModule("confluent_kafka") else {
            print("skipped: python3 cannot import confluent_kafka")
            return
        }
        let topic = TestBroker.uniqueTopicName("mixed")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 6)
        let peer = try Self.librdkafkaMember(topic: topic, group: group, seconds: 25, strategy: "range")
        try await Task.sleep(for: .seconds(2))
        let ours = try Self.member(group: group)
        try ours.subscribe(topics: [topic])
        let reading = Collector().run(ours)
        #expect(try await Self.waitUntil(.seconds(20)) { ours.assignment.count == 3 }, "ours: \(ours.assignment)")
        let mine = ours.assignment
        let output = try await peer.value
        await ours.close()
        await reading.value
        // The peer's last assignment while both were members: the one before it left.
        let peerSet = try #require(Self.lastAssignment(of: 3, in: output), "librdkafka's output: \(output)")
        #expect(peerSet.isDisjoint(with: mine))
        #expect(peerSet.union(mine).count == 6)
    }

    /// A confluent-kafka (librdkafka) group member on a thread of its own (it blocks
    /// while it runs); its output lists what it owned after every change.
    static func librdkafkaMember(topic: String, group: String, seconds: Int, strategy: String) throws -> Task<String, any Error> {
        let bootstrap = "\(try TestBroker.bootstrap())"
        return Task {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    do {
                        let run = try PythonPeer.runScriptBlocking("peer_group_consume.py", [bootstrap, topic, group, "\(seconds)", strategy])
                        continuation.resume(returning: run.stdout)
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// The last set of `count` partitions the peer reported owning.
    static func lastAssignment(of count: Int, in output: String) -> Set<TopicPartition>? {
        output.split(separator: "\n").filter { $0.hasPrefix("assigned") }.map { line in
            Set(line.split(separator: " ").dropFirst().compactMap { item -> TopicPartition? in
                let parts = item.split(separator: ":")
                guard parts.count == 2, let partition = Int32(parts[1]) else { return nil }
                return TopicPartition(topic: String(parts[0]), partition: partition)
            })
        }.last { $0.count == count }
    }
}
