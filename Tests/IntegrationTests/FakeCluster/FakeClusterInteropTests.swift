import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// The fake cluster speaks Kafka, not just our client's dialect: librdkafka's
/// idempotent producer writes to it and librdkafka and kafka-python read back.
@Suite("Fake cluster with other clients")
struct FakeClusterInteropTests {
    @Test("confluent-kafka (librdkafka) produces lz4 batches to the fake; kafka-python, confluent-kafka and we read them back",
          .enabled(if: RecordInteropTests.hasConfluent, "needs python3 with confluent-kafka (scripts/test.sh installs it)"))
    func otherClients() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("interop", partitions: 1)
        let bootstrap = cluster.bootstrapServers.joined(separator: ",")
        let produced = try await PythonPeer.runScript("peer_produce.py", [bootstrap, "interop", "50", "lz4", "1650000000000"])
        try #require(produced.status == 0, "librdkafka producer: \(produced.stderr.suffix(600))")
        #expect(cluster.endOffset(topic: "interop", partition: 0) == 50)

        let log = try cluster.records(topic: "interop", partition: 0)
        #expect(log.map { String(decoding: $0.key ?? [], as: UTF8.self) } == (0..<50).map { "k-\($0)" })
        let expected = log.map { record in
            PeerRecord(offset: record.offset, key: record.key.map { Array($0).hexString }, value: record.value.map { Array($0).hexString },
                       timestamp: record.timestamp, headers: record.headers.map { [$0.key, $0.value.map { Array($0).hexString }] })
        }
        for (peer, available) in [("confluent", RecordInteropTests.hasConfluent), ("kafka-python", RecordInteropTests.hasKafkaPython)] where available {
            let run = try await PythonPeer.runScript("peer_consume.py", [peer, bootstrap, "interop", "50"])
            #expect(run.status == 0, "\(peer): \(run.stderr.suffix(600))")
            #expect(try PeerRecord.parseLines(run.stdout) == expected, "\(peer): \(run.stderr.suffix(400))")
        }

        let consumer = try FakeClusterConsumerTests.consumer(cluster)
        consumer.assign([TopicPartition(topic: "interop", partition: 0): .earliest])
        var keys: [String] = []
        for try await message in consumer.messages {
            keys.append(String(decoding: message.key ?? [], as: UTF8.self))
            if keys.count == 50 { break }
        }
        await consumer.close()
        #expect(keys == (0..<50).map { "k-\($0)" })
    }
}
