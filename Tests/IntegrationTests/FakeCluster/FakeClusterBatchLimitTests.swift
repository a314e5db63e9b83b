import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// `batch.num.messages` (`maxBatchRecords`): batches are sealed at the record count
/// even while far below `batch.size`.
@Suite("Producer batch record limit on the fake cluster")
struct FakeClusterBatchLimitTests {
    @Test("batch.num.messages=3 splits ten small records into batches of at most three")
    func recordLimit() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("limited", partitions: 1, replicationFactor: 1)
        let configuration = try KafkaProducer.Configuration(properties: [
            "bootstrap.servers": cluster.bootstrapServers.joined(separator: ","),
            "batch.num.messages": "3", "linger.ms": "200",
        ])
        let (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: configuration)
        for index in 0..<10 { try producer.send(KafkaProducerRecord(topic: "limited", partition: 0, value: "\(index)")) }
        let (reports, _) = await ProducerFailureTests.collect(events, count: 10)
        await producer.close()
        #expect(reports.values.allSatisfy { $0.isSuccess })
        let sizes = try cluster.batches(topic: "limited", partition: 0).map { Int($0.lastOffsetDelta) + 1 }
        #expect(sizes.reduce(0, +) == 10)
        #expect(sizes.allSatisfy { $0 <= 3 }, "\(sizes)")
    }
}
