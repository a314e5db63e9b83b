import Foundation
import KafkaClient
import KafkaTestSupport
import Synchronization
import Testing

/// Incremental (cooperative-sticky, KIP-429) rebalancing, static membership
/// (KIP-345) and pattern subscriptions on the real broker.
@Suite("Cooperative rebalancing, static members and patterns on the real broker")
struct CooperativeGroupTests {
    typealias Groups = ConsumerGroupTests

    static func member(group: String, instanceId: String? = nil) throws -> KafkaConsumer {
        try Groups.member(group: group) {
            $0.partitionAssignors = [CooperativeStickyAssignor()]
            $0.groupInstanceId = instanceId
        }
    }

    /// Every rebalance event a consumer reports, in order.
    final class EventLog: Sendable {
        let events = VisibleLock<[KafkaConsumerEvent]>([])
        func run(_ consumer: KafkaConsumer) -> Task<Void, Never> {
            Task { for await event in consumer.events { events.withLock { $0.append(event) } } }
        }
        var revoked: [TopicPartition] {
            events.withLock { $0.flatMap { event -> [TopicPartition] in
                if case .partitionsRevoked(let partitions) = event { return partitions } else { return [] }
            } }
        }
        var lost: [TopicPartition] {
            events.withLock { $0.flatMap { event -> [TopicPartition] in
                if case .partitionsLost(let partitions) = event { return partitions } else { return [] }
            } }
        }
        var errors: [KafkaError] {
            events.withLock { $0.compactMap { event -> KafkaError? in
                if case .error(let error) = event { return error } else { return nil }
            } }
        }
    }

    @Test("a third member joins: only the partitions it takes are revoked, and every record is read exactly once")
    func memberJoinsIncrementally() async throws {
        let topic = TestBroker.uniqueTopicName("coop")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 6)
        let consumers = try (0..<3).map { _ in try Self.member(group: group) }
        let collectors = consumers.map { _ in Groups.Collector() }
        let logs = consumers.map { _ in EventLog() }
        let tasks = zip(consumers, collectors).map { $1.run($0) } + zip(consumers, logs).map { $1.run($0) }
        for consumer in consumers[0...1] { try consumer.subscribe(topics: [topic]) }
        #expect(try await Groups.waitUntil(.seconds(40)) { Groups.assignmentsSplit(Array(consumers[0...1]), partitions: 6) })
        try await KafkaConsumerTests.produce(topic, partitions: 6, count: 100)
        #expect(try await Groups.waitUntil { collectors.map(\.count).reduce(0, +) == 600 })
        let before = consumers[0...1].map(\.assignment)
        // The first member may have held all six for a generation before the second
        // joined (kfake starts a group without Kafka's initial rebalance delay) and
        // given three up then: only revocations from here on count.
        let revokedBefore = logs.map(\.revoked.count)

        try consumers[2].subscribe(topics: [topic])
        #expect(try await Groups.waitUntil(.seconds(40)) {
            Groups.assignmentsSplit(consumers, partitions: 6) && consumers.allSatisfy { $0.assignment.count == 2 }
        }, "assignments: \(consumers.map(\.assignment))")
        // Sticky and incremental: the first two kept what they still own and gave up only what moved.
        let revokedSince = (0...1).map { Array(logs[$0].revoked.dropFirst(revokedBefore[$0])) }
        for index in 0...1 {
            #expect(consumers[index].assignment.isSubset(of: before[index]))
            #expect(Set(revokedSince[index]) == before[index].subtracting(consumers[index].assignment))
        }
        #expect(Set(revokedSince[0] + revokedSince[1]) == consumers[2].assignment)
        #expect(logs.allSatisfy { $0.lost.isEmpty })

        try await KafkaConsumerTests.produce(topic, partitions: 6, count: 50)
        #expect(try await Groups.waitUntil { collectors.map(\.count).reduce(0, +) >= 900 })
        try await Task.sleep(for: .milliseconds(500))
        let distinct = collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        #expect(distinct.count == 900)
        #expect(collectors.map(\.count).reduce(0, +) == 900, "no record read twice across the group")
        for consumer in consumers { await consumer.close() }
        for task in tasks { await task.value }
    }

    @Test("a cooperative group mixing our consumer and librdkafka's cooperative-sticky splits without overlap")
    func mixedCooperativeGroup() async throws {
        guard PythonPeer.hasModule("confluent_kafka") else {
            print("skipped: python3 cannot import confluent_kafka")
            return
        }
        let topic = TestBroker.uniqueTopicName("coopmix")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 6)
        let peer = try Groups.librdkafkaMember(topic: topic, group: group, seconds: 25, strategy: "cooperative-sticky")
        try await Task.sleep(for: .seconds(3))
        let ours = try Self.member(group: group)
        try ours.subscribe(topics: [topic])
        let reading = Groups.Collector().run(ours)
        #expect(try await Groups.waitUntil(.seconds(20)) { ours.assignment.count == 3 }, "ours: \(ours.assignment)")
        try await Task.sleep(for: .seconds(2))
        let mine = ours.assignment
        let output = try await peer.value
        await ours.close()
        await reading.value
        let theirs = try #require(Groups.lastAssignment(of: 3, in: output), "librdkafka's output: \(output)")
        #expect(theirs.isDisjoint(with: mine))
        #expect(theirs.union(mine).count == 6)
    }

    /// Tansu does not hand a restarted static member its old member's place: the old
    /// member expires after the session timeout and the group rebalances (librdkafka
    /// members show the same). What a static member must still get is its own
    /// partitions back, because assignors order static members by instance id.
    @Test("a static member restarting gets its partitions back, and the other member keeps its own")
    func staticMemberRestarts() async throws {
        let topic = TestBroker.uniqueTopicName("static")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 4)
        // Instance ids sort the other way round from the member ids' creation order.
        let stay = try Groups.member(group: group) { $0.groupInstanceId = "b-stay" }
        var restarting = try Groups.member(group: group) { $0.groupInstanceId = "a-restart" }
        let stayReading = Groups.Collector().run(stay)
        var restartReading = Groups.Collector().run(restarting)
        try stay.subscribe(topics: [topic])
        try restarting.subscribe(topics: [topic])
        #expect(try await Groups.waitUntil(.seconds(40)) { Groups.assignmentsSplit([stay, restarting], partitions: 4) })
        let held = restarting.assignment, kept = stay.assignment
        #expect(held == [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)])
        await restarting.close()
        await restartReading.value
        restarting = try Groups.member(group: group) { $0.groupInstanceId = "a-restart" }
        restartReading = Groups.Collector().run(restarting)
        try restarting.subscribe(topics: [topic])
        #expect(try await Groups.waitUntil(.seconds(30)) { restarting.assignment == held && stay.assignment == kept },
                "got \(restarting.assignment), held \(held)")
        await restarting.close()
        await stay.close()
        await restartReading.value
        await stayReading.value
    }

    @Test("a member whose application stops taking messages leaves after max.poll.interval, and rejoins when it reads again")
    func stuckApplicationLeaves() async throws {
        try await Self.stuckApplicationLeaves(protocol: .classic)
    }

    /// Two members of `groupProtocol`; one application takes a message and hangs: its
    /// member leaves after max.poll.interval (4 s) and rejoins once it reads again.
    static func stuckApplicationLeaves(protocol groupProtocol: KafkaGroupProtocol) async throws {
        let topic = TestBroker.uniqueTopicName("stuck")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 4)
        try await KafkaConsumerTests.produce(topic, partitions: 4, count: 20)
        let healthy = try Groups.member(group: group) { $0.groupProtocol = groupProtocol }
        let stuck = try Groups.member(group: group) {
            $0.groupProtocol = groupProtocol
            $0.rebalanceTimeout = .seconds(4)
        }
        let healthyReading = Groups.Collector().run(healthy)
        let released = Atomic<Bool>(false)
        let tookOne = Atomic<Bool>(false)
        // Takes one message, then hangs (as a handler stuck on a lock would) until released.
        let stuckReading = Task {
            var first = true
            do {
                for try await _ in stuck.messages where first {
                    first = false
                    tookOne.store(true, ordering: .releasing)
                    while !released.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(50)) }
                }
            } catch {}
        }
        try healthy.subscribe(topics: [topic])
        try stuck.subscribe(topics: [topic])
        // The stuck member must have joined and taken its message first: before it joins,
        // the healthy member alone holds every partition.
        #expect(try await Groups.waitUntil(.seconds(40)) { tookOne.load(ordering: .acquiring) })
        #expect(try await Groups.waitUntil(.seconds(40)) { healthy.assignment.count == 4 && stuck.assignment.isEmpty },
                "healthy \(healthy.assignment.count), stuck \(stuck.assignment.count)")
        #expect(stuck.takeErrors().contains { $0.code == .pollIntervalExceeded })
        released.store(true, ordering: .releasing)
        #expect(try await Groups.waitUntil(.seconds(40)) { Groups.assignmentsSplit([healthy, stuck], partitions: 4) },
                "after resuming: healthy \(healthy.assignment.count), stuck \(stuck.assignment.count)")
        await stuck.close()
        await healthy.close()
        await stuckReading.value
        await healthyReading.value
    }

    @Test("a pattern subscription picks up a matching topic created later and ignores the rest")
    func patternSubscription() async throws {
        let prefix = TestBroker.uniqueTopicName("pat")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic("\(prefix)-a", partitions: 2)
        try await KafkaProducerTests.createTopic("\(prefix)x", partitions: 1)
        let consumer = try Groups.member(group: group) { $0.cluster.metadataMaxAge = .seconds(1) }
        try consumer.subscribe(pattern: "\(prefix)-.*")
        let collector = Groups.Collector()
        let reading = collector.run(consumer)
        #expect(try await Groups.waitUntil(.seconds(30)) { consumer.assignment.count == 2 }, "\(consumer.assignment)")
        try await KafkaProducerTests.createTopic("\(prefix)-b", partitions: 3)
        #expect(try await Groups.waitUntil(.seconds(30)) { consumer.assignment.count == 5 }, "\(consumer.assignment)")
        #expect(Set(consumer.assignment.map(\.topic)) == ["\(prefix)-a", "\(prefix)-b"])
        try await KafkaConsumerTests.produce("\(prefix)-b", partitions: 3, count: 10)
        #expect(try await Groups.waitUntil { collector.count == 30 })
        await consumer.close()
        await reading.value
    }

    @Test("an invalid pattern is refused with a typed error")
    func invalidPattern() async throws {
        let consumer = try Groups.member(group: "g")
        #expect(throws: KafkaError.self) { try consumer.subscribe(pattern: "([unclosed") }
        await consumer.close()
    }
}
