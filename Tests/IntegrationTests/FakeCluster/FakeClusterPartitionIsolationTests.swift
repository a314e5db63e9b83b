import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// One partition's trouble must not stop the others (issue: the consumer's fetch
/// loop threw on the first failing ListOffsets or OffsetForLeaderEpoch partition
/// and fetched nothing at all until that partition recovered).
@Suite("Consumer: a failing partition does not stop the others")
struct FakeClusterPartitionIsolationTests {
    static func fill(_ cluster: FakeKafkaCluster, topic: String, partitions: Int32, each: Int) async throws {
        try cluster.createTopic(topic, partitions: Int(partitions))
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        _ = try await FakeClusterProducerTests.send(each * Int(partitions), to: topic, partitions: partitions, with: producer)
        _ = await ProducerFailureTests.collect(events, count: each * Int(partitions))
        await producer.close()
    }

    @Test("ListOffsets keeps failing for partition 1: partition 0 is read meanwhile, partition 1 once the fault clears",
          .timeLimit(.minutes(1)))
    func failingStartOffset() async throws {
        // One broker, so both partitions' start offsets are asked in one request.
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await Self.fill(cluster, topic: "isolated", partitions: 2, each: 10)
        cluster.inject(FakeClusterFault(.error(.unknownServerError), on: .listOffsets, topic: "isolated", partition: 1, times: 4))

        let consumer = try FakeClusterConsumerTests.consumer(cluster)
        consumer.assign([TopicPartition(topic: "isolated", partition: 0): .earliest, TopicPartition(topic: "isolated", partition: 1): .earliest])
        var order: [Int32] = []
        for try await message in consumer.messages {
            order.append(message.partition)
            if order.count == 20 { break }
        }
        let errors = consumer.takeErrors()
        await consumer.close()
        #expect(order.filter { $0 == 0 }.count == 10 && order.filter { $0 == 1 }.count == 10)
        #expect(Array(order.prefix(10)) == Array(repeating: 0, count: 10), "partition 0 waited for partition 1: \(order)")
        #expect(errors.contains { $0.brokerErrorCode == .unknownServerError }, "the failure is reported: \(errors)")
        #expect(cluster.pendingFaults == 0)
    }
}

/// A group member whose committed-offset lookup fails must not end up owning
/// partitions that are never fetched (issue: ownership was recorded before the
/// OffsetFetch, which failed; the next adoption saw nothing new to start).
@Suite("Consumer groups: a failed OffsetFetch after an assignment is retried")
struct FakeClusterCommittedLookupTests {
    @Test("OffsetFetch fails three times after the join: the member keeps its partitions and reads every record",
          .timeLimit(.minutes(1)))
    func offsetFetchFailsAfterJoin() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await FakeClusterPartitionIsolationTests.fill(cluster, topic: "lookup", partitions: 2, each: 10)
        cluster.inject(FakeClusterFault(.error(.coordinatorLoadInProgress), on: .offsetFetch, times: 3))
        let consumer = try FakeClusterConsumerTests.consumer(cluster, group: "lookup-group")
        try consumer.subscribe(topics: ["lookup"])
        var read: [Int32: Int] = [:]
        for try await message in consumer.messages {
            read[message.partition, default: 0] += 1
            if read.values.reduce(0, +) == 20 { break }
        }
        let errors = consumer.takeErrors()
        await consumer.close()
        #expect(read == [0: 10, 1: 10])
        #expect(cluster.pendingFaults == 0)
        #expect(errors.contains { $0.brokerErrorCode == .coordinatorLoadInProgress }, "the failures are reported: \(errors)")
        #expect(cluster.groupState("lookup-group")?.generation == 1, "one join: the failures caused no rebalance")
    }
}
