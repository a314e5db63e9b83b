import Foundation
import KafkaTestSupport
import KafkaWire
import Testing

/// Record batches cross implementations through the real broker: batches we encode
/// (every codec) are read by confluent-kafka and kafka-python consumers, and
/// batches confluent-kafka (librdkafka) produces are fetched and decoded by us.
@Suite("Record batch interop with independent clients")
struct RecordInteropTests {
    static let codecs: [CompressionCodec] = [.none, .gzip, .snappy, .lz4, .zstd]
    static let hasConfluent = PythonPeer.hasModule("confluent_kafka")
    static let hasKafkaPython = PythonPeer.hasModule("kafka") && PythonPeer.hasModule("snappy")
        && PythonPeer.hasModule("lz4") && PythonPeer.hasModule("zstandard")

    /// The records we produce: two batches, with a null key, an empty value and headers.
    static func ourRecords(baseTimestamp: Int64) -> [(key: [UInt8]?, value: [UInt8], headers: [RecordHeader], timestamp: Int64)] {
        (0..<10).map { i in
            let key: [UInt8]? = i == 3 ? nil : Array("key-\(i)".utf8)
            let value: [UInt8] = i == 7 ? [] : Array("value \(i) ".utf8) + [UInt8](repeating: UInt8(i), count: i * 20)
            let headers = i % 2 == 0 ? [RecordHeader(key: "trace", value: Array("t\(i)".utf8)), RecordHeader(key: "empty", value: nil)] : []
            return (key, value, headers, baseTimestamp + Int64(i))
        }
    }

    @Test("batches we write are read back byte for byte by confluent-kafka and kafka-python",
          .enabled(if: hasConfluent || hasKafkaPython, "needs python3 with confluent-kafka or kafka-python (scripts/test.sh installs them)"),
          arguments: codecs)
    func oursReadByPeers(codec: CompressionCodec) async throws {
        let topic = TestBroker.uniqueTopicName("interop-ours-\(codec)")
        try createTopic(topic)
        let session = try BrokerSession.toLeader(of: topic, partition: 0)
        let base: Int64 = 1_700_000_000_000
        let records = Self.ourRecords(baseTimestamp: base)

        for half in [records[0..<5], records[5..<10]] {
            var encoder = RecordBatchEncoder()
            for record in half {
                encoder.append(key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp)
            }
            var partition = ProduceRequest.TopicProduceData.PartitionProduceData()
            partition.index = 0
            partition.records = try encoder.finish(compression: codec)
            var topicData = ProduceRequest.TopicProduceData()
            topicData.name = topic
            topicData.partitionData = [partition]
            var produce = ProduceRequest()
            produce.acks = -1
            produce.timeoutMs = 10_000
            produce.topicData = [topicData]
            let response = try session.send(produce, version: 9)
            let result = try #require(response.responses.first?.partitionResponses.first)
            #expect(KafkaErrorCode(result.errorCode) == .noError)
        }

        let expected = records.enumerated().map { offset, record in
            PeerRecord(offset: Int64(offset), key: record.key?.hexString, value: record.value.hexString,
                       timestamp: record.timestamp, headers: record.headers.map { [$0.key, $0.value.map { Array($0).hexString }] })
        }
        for (peer, available) in [("confluent", Self.hasConfluent), ("kafka-python", Self.hasKafkaPython)] where available {
            let run = try await PythonPeer.runScript("peer_consume.py", [peer, "\(try TestBroker.bootstrap())", topic, "10"])
            #expect(run.status == 0, "\(peer): \(run.stderr)")
            let read = try PeerRecord.parseLines(run.stdout)
            #expect(read == expected, "\(peer) read \(read.count) records: \(run.stderr.suffix(400))")
        }
    }

    @Test("batches confluent-kafka writes are fetched and decoded by us",
          .enabled(if: hasConfluent, "needs python3 with confluent-kafka (scripts/test.sh installs it)"),
          arguments: codecs)
    func peersReadByUs(codec: CompressionCodec) async throws {
        let topic = TestBroker.uniqueTopicName("interop-peer-\(codec)")
        try createTopic(topic)
        let session = try BrokerSession.toLeader(of: topic, partition: 0)
        let count = 40, base: Int64 = 1_650_000_000_000
        let run = try await PythonPeer.runScript("peer_produce.py", ["\(try TestBroker.bootstrap())", topic, "\(count)", "\(codec)", "\(base)"])
        try #require(run.status == 0, "peer producer failed: \(run.stderr)")

        var batches: [RecordBatch] = []
        var next: Int64 = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while next < Int64(count), ContinuousClock.now < deadline {
            var partition = FetchRequest.FetchTopic.FetchPartition()
            partition.partition = 0
            partition.fetchOffset = next
            partition.partitionMaxBytes = 1 << 20
            var fetchTopic = FetchRequest.FetchTopic()
            fetchTopic.topic = topic
            fetchTopic.partitions = [partition]
            var fetch = FetchRequest()
            fetch.maxWaitMs = 200
            fetch.minBytes = 1
            fetch.topics = [fetchTopic]
            let response = try session.send(fetch, version: 12)
            let data = try #require(response.responses.first?.partitions.first)
            try #require(KafkaErrorCode(data.errorCode) == .noError)
            for batch in try RecordBatchDecoder.decodeAll(data.records ?? []) where batch.nextOffset > next {
                batches.append(batch)
                next = batch.nextOffset
            }
        }

        let records = batches.flatMap(\.records)
        try #require(records.count == count, "fetched \(records.count) of \(count) records")
        for batch in batches {
            #expect(try batch.attributes.compression() == codec)
            #expect(batch.producerId >= 0, "librdkafka's idempotent producer sets a producer id")
        }
        for (i, record) in records.enumerated() {
            #expect(record.offset == Int64(i))
            #expect(record.key.map(Array.init) == Array("k-\(i)".utf8))
            #expect(record.value.map(Array.init) == Array("v-\(i)-".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: i % 50))
            #expect(record.timestamp == base + Int64(i))
            #expect(record.headers.map(\.key) == ["h"])
            #expect(record.headers.first?.value.map(Array.init) == Array("\(i)".utf8))
        }
    }

    private func createTopic(_ topic: String) throws {
        let session = try BrokerSession.toController()
        var create = CreateTopicsRequest()
        create.topics = [CreateTopicsRequest.CreatableTopic(name: topic, numPartitions: 1, replicationFactor: 1)]
        create.timeoutMs = 10_000
        let result = try #require(try session.send(create, version: 7).topics.first)
        try #require(KafkaErrorCode(result.errorCode) == .noError)
    }
}
