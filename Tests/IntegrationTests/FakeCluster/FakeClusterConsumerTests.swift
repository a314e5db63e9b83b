import Foundation
import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// Consumers and consumer groups against the in-process fake cluster: coordinator
/// moves, coordinator errors, broker stops, leader changes and log truncation.
@Suite("Consumer on the fake cluster")
struct FakeClusterConsumerTests {
    typealias Groups = ConsumerGroupTests

    static func consumer(_ cluster: FakeKafkaCluster, group: String? = nil,
                         _ configure: (inout KafkaConsumer.Configuration) -> Void = { _ in }) throws -> KafkaConsumer {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.groupId = group
        configuration.autoOffsetReset = .earliest
        configuration.sessionTimeout = .seconds(3)
        configuration.rebalanceTimeout = .seconds(5)
        configuration.heartbeatInterval = .milliseconds(200)
        configuration.autoCommitInterval = .milliseconds(200)
        configuration.fetchMaxWait = .milliseconds(100)
        configuration.maxPartitionFetchBytes = 2_000
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        configure(&configuration)
        return try KafkaConsumer(configuration: configuration)
    }

    static func fill(_ cluster: FakeKafkaCluster, topic: String, partitions: Int32, perPartition: Int) async throws {
        try cluster.createTopic(topic, partitions: Int(partitions))
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        for partition in 0..<partitions {
            for index in 0..<perPartition { try producer.send(KafkaProducerRecord(topic: topic, partition: partition, value: "\(index)")) }
        }
        let (reports, _) = await ProducerFailureTests.collect(events, count: Int(partitions) * perPartition)
        await producer.close()
        #expect(reports.values.allSatisfy { $0.isSuccess })
    }

    @Test("a group of three reads everything while its coordinator moves twice and answers errors")
    func coordinatorMoves() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try await Self.fill(cluster, topic: "coord", partitions: 6, perPartition: 200)
        cluster.inject(FakeClusterFault(.error(.coordinatorNotAvailable), on: .findCoordinator, times: 2))
        let members = try (0..<3).map { _ in try Self.consumer(cluster, group: "movers") }
        let collectors = members.map { _ in Groups.Collector() }
        let readers = zip(members, collectors).map { $1.run($0) }
        for member in members { try member.subscribe(topics: ["coord"]) }

        let samples = VisibleLock<[[Int64]]>([])
        let sampling = Task {
            while !Task.isCancelled {
                samples.withLock { $0.append((0..<Int32(6)).map { cluster.committedOffset(group: "movers", topic: "coord", partition: $0) ?? -1 }) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        _ = try await Groups.waitUntil(.seconds(20)) { collectors.map(\.count).reduce(0, +) > 200 }
        let first = cluster.coordinator(group: "movers") ?? 1
        let second = first % 3 + 1
        cluster.moveCoordinator(group: "movers", to: second)
        cluster.inject(FakeClusterFault(.error(.notCoordinator), on: .heartbeat, times: 2))
        // The members find the second coordinator before it moves again (waited for, not
        // slept for: on a loaded machine half a second may pass without a heartbeat).
        let foundSecond = try await Groups.waitUntil(.seconds(20)) {
            cluster.receivedRequests.contains { ($0.apiKey == .heartbeat || $0.apiKey == .offsetCommit) && $0.broker == second }
        }
        #expect(foundSecond)
        cluster.moveCoordinator(group: "movers", to: (first + 1) % 3 + 1)
        cluster.inject(FakeClusterFault(.error(.coordinatorLoadInProgress), on: .offsetCommit, times: 2))
        // Members heartbeat and auto-commit until closed, so every fault gets its turn.
        let faultsUsed = try await Groups.waitUntil(.seconds(20)) { cluster.pendingFaults == 0 }
        #expect(faultsUsed)

        let complete = try await Groups.waitUntil(.seconds(30)) { collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }.count == 1_200 }
        #expect(complete)
        for member in members { await member.close() }
        for reader in readers { await reader.value }
        sampling.cancel()
        await sampling.value

        let history = samples.withLock { $0 } + [(0..<Int32(6)).map { cluster.committedOffset(group: "movers", topic: "coord", partition: $0) ?? -1 }]
        for partition in 0..<6 {
            let series = history.map { $0[partition] }
            #expect(zip(series, series.dropFirst()).allSatisfy { $0 <= $1 }, "partition \(partition) went backwards")
            #expect(series.last == 200)
        }
        let coordinators = Set(cluster.receivedRequests.filter { $0.apiKey == .heartbeat || $0.apiKey == .offsetCommit }.map(\.broker))
        #expect(coordinators.count == 3, "group requests went to brokers \(coordinators)")
    }

    @Test("commit retries COORDINATOR_LOAD_IN_PROGRESS and NOT_COORDINATOR answers, and fails on a fatal one")
    func commitRetriesRetriableErrors() async throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        try cluster.createTopic("commits", partitions: 1)
        let consumer = try Self.consumer(cluster, group: "committer") { $0.enableAutoCommit = false }
        let partition = TopicPartition(topic: "commits", partition: 0)
        cluster.inject(FakeClusterFault(.error(.coordinatorLoadInProgress), on: .offsetCommit, times: 2))
        cluster.inject(FakeClusterFault(.error(.notCoordinator), on: .offsetCommit, times: 1))
        try await consumer.commit([partition: 42])
        #expect(cluster.committedOffset(group: "committer", topic: "commits", partition: 0) == 42)
        #expect(cluster.pendingFaults == 0)
        cluster.inject(FakeClusterFault(.error(.offsetMetadataTooLarge), on: .offsetCommit, times: 1))
        await #expect(throws: KafkaError.self) { try await consumer.commit([partition: 50]) }
        #expect(cluster.committedOffset(group: "committer", topic: "commits", partition: 0) == 42)
        await consumer.close()
    }

    @Test("a broker stops while a group reads: leaders and the coordinator fail over, every record is read")
    func brokerStopsDuringGroupRead() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try await Self.fill(cluster, topic: "failover", partitions: 6, perPartition: 200)
        let members = try (0..<2).map { _ in try Self.consumer(cluster, group: "survivors") }
        let collectors = members.map { _ in Groups.Collector() }
        let readers = zip(members, collectors).map { $1.run($0) }
        for member in members { try member.subscribe(topics: ["failover"]) }
        _ = try await Groups.waitUntil(.seconds(20)) { collectors.map(\.count).reduce(0, +) > 300 }
        let coordinator = cluster.coordinator(group: "survivors") ?? 1
        cluster.stopBroker(coordinator)
        let complete = try await Groups.waitUntil(.seconds(30)) { collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }.count == 1_200 }
        #expect(complete)
        #expect(cluster.coordinator(group: "survivors") != coordinator)
        for member in members { await member.close() }
        for reader in readers { await reader.value }
        #expect((0..<Int32(6)).allSatisfy { cluster.committedOffset(group: "survivors", topic: "failover", partition: $0) == 200 })
    }

    @Test("a leader change under a reader: the position is validated (KIP-320) and reading goes on without loss")
    func leaderChangeValidatesPosition() async throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        try cluster.createTopic("epochs", partitions: 1)
        try await Self.produce(cluster, topic: "epochs", values: (0..<300).map { "\($0)" })
        let consumer = try Self.consumer(cluster)
        consumer.assign([TopicPartition(topic: "epochs", partition: 0): .earliest])
        var values: [String] = []
        for try await message in consumer.messages {
            values.append(String(decoding: message.value ?? [], as: UTF8.self))
            if values.count == 100 {
                let leader = cluster.leader(topic: "epochs", partition: 0) ?? 1
                cluster.moveLeader(topic: "epochs", partition: 0, to: leader % 2 + 1)
                // Records the new leader alone can serve: reading them needs the new epoch.
                try await Self.produce(cluster, topic: "epochs", values: (300..<400).map { "\($0)" })
            }
            if values.count == 400 { break }
        }
        await consumer.close()
        #expect(values == (0..<400).map { "\($0)" })
        #expect(cluster.receivedRequests.contains { $0.apiKey == .offsetForLeaderEpoch })
    }

    @Test("a throttled fetch response holds the next fetch back for the throttle time (KIP-219)")
    func fetchThrottleHonoured() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("fetch-quota", partitions: 1)
        try await Self.produce(cluster, topic: "fetch-quota", values: ["a"])
        let consumer = try Self.consumer(cluster)
        consumer.assign([TopicPartition(topic: "fetch-quota", partition: 0): .earliest])
        var iterator = consumer.messages.makeAsyncIterator()
        _ = try await iterator.next()
        cluster.inject(FakeClusterFault(.throttle(milliseconds: 600), on: .fetch))
        let injectedAt = ContinuousClock.now
        _ = try await Groups.waitUntil(.seconds(5)) { cluster.pendingFaults == 0 }
        try await Task.sleep(for: .milliseconds(900))
        await consumer.close()
        let fetches = cluster.receivedRequests.filter { $0.apiKey == .fetch && $0.receivedAt >= injectedAt }.map(\.receivedAt)
        try #require(fetches.count >= 2, "\(fetches.count) fetches after the throttle")
        #expect(fetches[0].duration(to: fetches[1]) >= .milliseconds(600))
    }

    @Test("the log is truncated under a reader (unclean election): the consumer reports it and reads on from the new end")
    func truncationDetected() async throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        try cluster.createTopic("truncated", partitions: 1)
        // Two deliveries, so a batch boundary lies at offset 60 (the fake truncates whole batches).
        try await Self.produce(cluster, topic: "truncated", values: (0..<60).map { "\($0)" })
        try await Self.produce(cluster, topic: "truncated", values: (60..<100).map { "\($0)" })
        let consumer = try Self.consumer(cluster)
        consumer.assign([TopicPartition(topic: "truncated", partition: 0): .earliest])
        var read: [(offset: Int64, value: String)] = []
        for try await message in consumer.messages {
            read.append((message.offset, String(decoding: message.value ?? [], as: UTF8.self)))
            if read.count == 100 {
                cluster.truncate(topic: "truncated", partition: 0, to: 60)
                try await Self.produce(cluster, topic: "truncated", values: (0..<20).map { "after-\($0)" })
            }
            if read.count == 120 { break }
        }
        let errors = consumer.takeErrors()
        await consumer.close()
        #expect(read.prefix(100).map(\.value) == (0..<100).map { "\($0)" })
        #expect(read.dropFirst(100).map(\.offset) == Array(60..<80))
        #expect(read.dropFirst(100).map(\.value) == (0..<20).map { "after-\($0)" })
        #expect(errors.contains { $0.code == .logTruncated }, "errors: \(errors)")
    }

    static func produce(_ cluster: FakeKafkaCluster, topic: String, values: [String]) async throws {
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        for value in values { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: value)) }
        let (reports, _) = await ProducerFailureTests.collect(events, count: values.count)
        await producer.close()
        #expect(reports.values.allSatisfy { $0.isSuccess })
    }
}
