import Foundation
import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// The idempotent producer against the in-process fake cluster, with the faults a
/// real broker can't be made to show on demand: leaders moving, brokers stopping,
/// errors, throttling, delays and lost responses.
@Suite("Producer on the fake cluster")
struct FakeClusterProducerTests {
    static func producer(_ cluster: FakeKafkaCluster) throws -> (KafkaProducer, KafkaProducerEvents) {
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.retryBackoff = .milliseconds(10)
        configuration.retryBackoffMax = .milliseconds(100)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        configuration.batchSize = 2048  // many small batches, so faults land between them
        return try KafkaProducer.makeProducerWithEvents(configuration: configuration)
    }

    /// Sends `count` records round-robin over `partitions`, each value its index; returns id -> index.
    static func send(_ count: Int, to topic: String, partitions: Int32, with producer: KafkaProducer,
                     pause: (Int) async -> Void = { _ in }) async throws -> [KafkaProducerMessageID: Int] {
        var sent: [KafkaProducerMessageID: Int] = [:]
        for index in 0..<count {
            let record = KafkaProducerRecord(topic: topic, partition: Int32(index) % partitions, value: ProducerFailureTests.sequenceValue(index))
            sent[try await KafkaProducerTests.send(record, with: producer)] = index
            await pause(index)
        }
        return sent
    }

    /// Checks the log holds every index exactly once, in send order per partition, and
    /// that every report succeeded at the offset where its record is.
    static func verify(_ cluster: FakeKafkaCluster, topic: String, partitions: Int32, sent: [KafkaProducerMessageID: Int],
                       reports: [KafkaProducerMessageID: KafkaDeliveryReport]) throws {
        var offsetOfIndex: [Int: (Int32, Int64)] = [:]
        for partition in 0..<partitions {
            let records = try cluster.records(topic: topic, partition: partition)
            let indices = records.map { record in Int(record.value.map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } ?? 0) }
            let expected = Array(stride(from: Int(partition), to: sent.count, by: Int(partitions)))
            #expect(indices == expected, "partition \(partition): \(indices.count) records, expected \(expected.count)")
            for (record, index) in zip(records, indices) { offsetOfIndex[index] = (partition, record.offset) }
        }
        #expect(reports.count == sent.count)
        let wrong = reports.filter { id, report in
            guard let index = sent[id], let (partition, offset) = offsetOfIndex[index] else { return true }
            return !report.isSuccess || report.partition != partition || report.offset != offset
        }
        #expect(wrong.isEmpty, "\(wrong.count) reports wrong, e.g. \(wrong.values.prefix(3).map { "\($0)" })")
    }

    @Test("leaders spread over three brokers; every record once, in order, with the right offsets")
    func produceAcrossBrokers() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("spread", partitions: 6)
        #expect(Set((0..<Int32(6)).compactMap { cluster.leader(topic: "spread", partition: $0) }) == [1, 2, 3])
        let (producer, events) = try Self.producer(cluster)
        let sent = try await Self.send(3_000, to: "spread", partitions: 6, with: producer)
        let (reports, duplicates) = await ProducerFailureTests.collect(events, count: sent.count)
        await producer.close()
        #expect(duplicates == 0)
        try Self.verify(cluster, topic: "spread", partitions: 6, sent: sent, reports: reports)
        let produceBrokers = Set(cluster.receivedRequests.filter { $0.apiKey == .produce }.map(\.broker))
        #expect(produceBrokers == [1, 2, 3])
    }

    @Test("leaders move every 20 ms while producing: NOT_LEADER answers are retried, nothing lost, duplicated or reordered")
    func leaderMoves() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("moving", partitions: 3)
        let (producer, events) = try Self.producer(cluster)
        let mover = Task {
            var moves = 0
            while !Task.isCancelled, moves < 60 {
                try? await Task.sleep(for: .milliseconds(20))
                let partition = Int32(moves % 3)
                let current = cluster.leader(topic: "moving", partition: partition) ?? 1
                cluster.moveLeader(topic: "moving", partition: partition, to: current % 3 + 1)
                moves += 1
            }
            return moves
        }
        let sent = try await Self.send(20_000, to: "moving", partitions: 3, with: producer) { index in
            if index % 500 == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        }
        let moves = await mover.value
        let (reports, duplicates) = await ProducerFailureTests.collect(events, count: sent.count)
        await producer.close()
        print("fake cluster: \(moves) leader moves during 20,000 sends; epochs \((0..<Int32(3)).map { cluster.leaderEpoch(topic: "moving", partition: $0) ?? -1 })")
        #expect(duplicates == 0)
        #expect(moves >= 20)
        try Self.verify(cluster, topic: "moving", partitions: 3, sent: sent, reports: reports)
    }

    @Test("lost responses, NOT_LEADER errors, throttling and delays: each record written once")
    func injectedProduceFaults() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("faults", partitions: 2)
        cluster.inject(FakeClusterFault(.disconnectAfterHandling, on: .produce, times: 5))
        cluster.inject(FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, times: 3))
        cluster.inject(FakeClusterFault(.throttle(milliseconds: 50), on: .produce, times: 2))
        cluster.inject(FakeClusterFault(.delay(.milliseconds(150)), on: .produce, times: 2))
        cluster.inject(FakeClusterFault(.disconnectBeforeHandling, on: .produce, times: 3))
        let (producer, events) = try Self.producer(cluster)
        let sent = try await Self.send(5_000, to: "faults", partitions: 2, with: producer) { index in
            if index % 250 == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        }
        let (reports, duplicates) = await ProducerFailureTests.collect(events, count: sent.count)
        await producer.close()
        #expect(duplicates == 0)
        #expect(cluster.pendingFaults == 0)
        try Self.verify(cluster, topic: "faults", partitions: 2, sent: sent, reports: reports)
    }

    @Test("a throttled produce response holds the next request back for the throttle time (KIP-219)")
    func throttleHonoured() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("quota", partitions: 1)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "quota", value: "warm-up"))
        cluster.inject(FakeClusterFault(.throttle(milliseconds: 600), on: .produce))
        for index in 0..<3 { _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "quota", value: "\(index)")) }
        await producer.close()
        let produces = cluster.receivedRequests.filter { $0.apiKey == .produce }.map(\.receivedAt)
        try #require(produces.count == 4)
        #expect(produces[1].duration(to: produces[2]) >= .milliseconds(600))
        #expect(cluster.endOffset(topic: "quota", partition: 0) == 4)
    }

    @Test("a broker stops while producing and starts again: its partitions fail over and nothing is lost")
    func brokerStopsAndStarts() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("restart", partitions: 6)
        let (producer, events) = try Self.producer(cluster)
        let sent = try await Self.send(12_000, to: "restart", partitions: 6, with: producer) { index in
            if index == 3_000 { cluster.stopBroker(2) }
            if index == 7_000 { try? cluster.startBroker(2) }
            if index == 8_000 { cluster.stopBroker(3) }
            if index % 1_000 == 0 { try? await Task.sleep(for: .milliseconds(10)) }
        }
        let (reports, duplicates) = await ProducerFailureTests.collect(events, count: sent.count)
        await producer.close()
        #expect(duplicates == 0)
        #expect((0..<Int32(6)).allSatisfy { cluster.leader(topic: "restart", partition: $0) != 3 })
        try Self.verify(cluster, topic: "restart", partitions: 6, sent: sent, reports: reports)
    }
}
