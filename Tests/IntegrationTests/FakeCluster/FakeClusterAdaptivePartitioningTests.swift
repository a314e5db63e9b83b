import Foundation
import KafkaClient
import KafkaTesting
import Testing

/// KIP-794's adaptive partitioning against a cluster with one slow broker: keyless
/// records go less to the partitions whose queues grow, and none to a broker that
/// stopped taking batches when `partitioner.availability.timeout.ms` is set.
@Suite("Producer: adaptive partitioning with a slow broker")
struct FakeClusterAdaptivePartitioningTests {
    /// The share of `count` keyless records, sent at a steady pace, that went to the
    /// partitions led by `slow`, whose Produce answers each take 300 ms.
    static func slowBrokerShare(adaptive: Bool, availabilityTimeout: Duration = .zero) async throws -> Double {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("spread", partitions: 6)
        let slow: Int32 = 2
        let slowPartitions = Set((0..<Int32(6)).filter { cluster.leader(topic: "spread", partition: $0) == slow })
        try #require(!slowPartitions.isEmpty && slowPartitions.count < 6)
        cluster.inject(FakeClusterFault(.delay(.milliseconds(300)), on: .produce, broker: slow, times: 10_000))

        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.linger = .milliseconds(5)
        configuration.batchSize = 1_000  // a new sticky partition every ten records or so
        configuration.adaptivePartitioning = adaptive
        configuration.partitionerAvailabilityTimeout = availabilityTimeout
        let (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: configuration)
        let count = 1_200
        let collecting = Task { await ProducerFailureTests.collect(events, count: count) }
        for index in 0..<count {
            try producer.send(KafkaProducerRecord(topic: "spread", value: Array("record \(index) ".utf8) + [UInt8](repeating: 0, count: 80)))
            if index % 20 == 19 { try await Task.sleep(for: .milliseconds(10)) }
        }
        let (reports, _) = await collecting.value
        await producer.close()
        #expect(reports.count == count)
        #expect(reports.values.allSatisfy { $0.isSuccess })
        let onSlow = reports.values.filter { slowPartitions.contains($0.partition) }.count
        return Double(onSlow) / Double(count)
    }

    @Test("the slow broker's partitions get fewer keyless records with adaptive partitioning, and none past the availability timeout")
    func slowBrokerGetsLess() async throws {
        let uniform = try await Self.slowBrokerShare(adaptive: false)
        let adaptive = try await Self.slowBrokerShare(adaptive: true)
        let skipping = try await Self.slowBrokerShare(adaptive: true, availabilityTimeout: .milliseconds(100))
        // Uniform draws give the slow broker its partitions' share, about a third.
        #expect(uniform > 0.2, "uniform: \(uniform)")
        #expect(adaptive < uniform * 0.75, "adaptive \(adaptive) against uniform \(uniform)")
        #expect(skipping < uniform * 0.75, "with the availability timeout \(skipping), uniform \(uniform)")
        print("slow broker's share of keyless records: uniform \(uniform), adaptive \(adaptive), with availability timeout \(skipping)")
    }
}
