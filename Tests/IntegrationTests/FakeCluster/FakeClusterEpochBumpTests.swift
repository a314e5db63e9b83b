import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// An epoch bump must not re-send another partition's pending retry under the new
/// epoch (issue: the bump reset every partition's sequences and re-stamped batches
/// waiting to be retried, so a batch the broker had written was written again).
/// The Java client (KIP-360) re-stamps only the partitions whose sequence broke;
/// the others keep their producer id, epoch and sequence until they drain.
@Suite("Idempotent producer: an epoch bump for one partition")
struct FakeClusterEpochBumpTests {
    static func outcome(_ body: () async throws -> KafkaDeliveryReport) async -> Result<KafkaDeliveryReport, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    @Test("partition 0's batch fails for good while partition 1's written batch waits to be retried: partition 1 holds it once",
          .timeLimit(.minutes(1)))
    func bumpKeepsOtherPartitionsRetries() async throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        try cluster.createTopic("bump", partitions: 2)
        let first = try #require(cluster.leader(topic: "bump", partition: 0))
        let other = try #require(cluster.leader(topic: "bump", partition: 1) == first ? nil : cluster.leader(topic: "bump", partition: 1))

        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.retryBackoff = .milliseconds(400)  // partition 1's retry waits while the epoch is bumped
        configuration.retryBackoffMax = .milliseconds(400)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(50))
        let producer = try KafkaProducer(configuration: configuration)
        // Both partitions have a sequence with the first epoch.
        for partition in Int32(0)..<2 {
            #expect(try await producer.sendAndWait(KafkaProducerRecord(topic: "bump", partition: partition, value: "warm-\(partition)")).isSuccess)
        }
        let before = try #require(try cluster.batches(topic: "bump", partition: 1).last)

        // Partition 0's next batch is refused for good: a sequence gap, so the epoch is bumped.
        cluster.inject(FakeClusterFault(.error(.invalidRecord), on: .produce, topic: "bump", partition: 0))
        // Partition 1's next batch is written but its answer lost: it is retried.
        cluster.inject(FakeClusterFault(.disconnectAfterHandling, on: .produce, broker: other))
        async let refused = Self.outcome {
            try await producer.sendAndWait(KafkaProducerRecord(topic: "bump", partition: 0, value: "refused"))
        }
        async let retried = Self.outcome {
            try await producer.sendAndWait(KafkaProducerRecord(topic: "bump", partition: 1, value: "once"))
        }
        let (refusedResult, retriedResult) = await (refused, retried)
        #expect(throws: KafkaError.self) { try refusedResult.get() }
        if case .failure(let error) = refusedResult { #expect((error as? KafkaError)?.brokerErrorCode == .invalidRecord) }
        #expect(try retriedResult.get().isSuccess)

        // Both partitions go on under the new epoch.
        for partition in Int32(0)..<2 {
            #expect(try await producer.sendAndWait(KafkaProducerRecord(topic: "bump", partition: partition, value: "after-\(partition)")).isSuccess)
        }
        await producer.close()
        let values = try cluster.records(topic: "bump", partition: 1).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(values == ["warm-1", "once", "after-1"], "the retried batch was written twice: \(values)")
        #expect(try cluster.records(topic: "bump", partition: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["warm-0", "after-0"])
        let after = try #require(try cluster.batches(topic: "bump", partition: 1).last)
        #expect(after.producerId == before.producerId && after.producerEpoch > before.producerEpoch,
                "the epoch was bumped (KIP-360): \(before.producerEpoch) -> \(after.producerEpoch)")
        #expect(cluster.pendingFaults == 0)
    }
}
