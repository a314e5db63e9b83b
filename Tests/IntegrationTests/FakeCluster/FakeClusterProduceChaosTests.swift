import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaTesting
import KafkaWire
import Testing

/// Seeded rounds of random produce faults while records flow to three partitions:
/// every record must be written once, in order, and reported at its offset.
@Suite("Producer on the fake cluster: random faults")
struct FakeClusterProduceChaosTests {
    static let actions: [FakeClusterFault.Action] = [
        .disconnectAfterHandling, .disconnectBeforeHandling, .error(.notLeaderOrFollower), .error(.requestTimedOut),
        .throttle(milliseconds: 30), .delay(.milliseconds(120)), .error(.notEnoughReplicas),
    ]

    @Test("seeded random faults on Produce: each record written once, in order, reported at its offset",
          arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func randomFaults(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("chaos", partitions: 3)
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        let sent = try await FakeClusterProducerTests.send(6_000, to: "chaos", partitions: 3, with: producer) { index in
            guard index % 150 == 0 else { return }
            let action = Self.actions[Int(random.next() % UInt64(Self.actions.count))]
            cluster.inject(FakeClusterFault(action, on: .produce, times: 1 + Int(random.next() % 3)))
            try? await Task.sleep(for: .milliseconds(Int(random.next() % 8)))
        }
        let (reports, duplicates) = await ProducerFailureTests.collect(events, count: sent.count)
        await producer.close()
        let failures = reports.values.compactMap(\.error).map { "\($0)" }
        #expect(failures.isEmpty, "\(failures.count) failed, e.g. \(Set(failures).prefix(3))")
        #expect(duplicates == 0)
        try FakeClusterProducerTests.verify(cluster, topic: "chaos", partitions: 3, sent: sent, reports: reports)
    }
}
