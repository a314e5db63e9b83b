import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Metrics
import MetricsTestKit
import Testing

@Suite("KafkaProducer records read by other clients")
struct ProducerInteropTests {
    static let hasConfluent = PythonPeer.hasModule("confluent_kafka")
    static let hasKafkaPython = PythonPeer.hasModule("kafka") && PythonPeer.hasModule("snappy")
        && PythonPeer.hasModule("lz4") && PythonPeer.hasModule("zstandard")

    static func records(topic: String) -> [KafkaProducerRecord] {
        (0..<10).map { index in
            KafkaProducerRecord(
                topic: topic, partition: 0,
                key: index == 3 ? nil : Array("key-\(index)".utf8),
                value: index == 5 ? [] : Array("value-\(index)-".utf8) + [UInt8](repeating: UInt8(index), count: index * 7),
                headers: index % 2 == 0 ? [KafkaHeader(key: "trace", value: Array("t\(index)".utf8)), KafkaHeader(key: "empty", value: nil)] : [],
                timestamp: 1_700_000_000_000 + Int64(index) * 1000)
        }
    }

    @Test("every codec: keys, values, headers and timestamps read back byte for byte by librdkafka and kafka-python",
          arguments: [CompressionCodec.none, .gzip, .snappy, .lz4, .zstd])
    func readByPeers(codec: CompressionCodec) async throws {
        let topic = TestBroker.uniqueTopicName("produced-\(codec)")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration {
            $0.compression = KafkaCompressionCodec(codec)
            $0.linger = .milliseconds(50)
        })
        let records = Self.records(topic: topic)
        for record in records { try producer.send(record) }
        await producer.flush()
        await producer.close()

        let expected = records.enumerated().map { offset, record in
            PeerRecord(offset: Int64(offset), key: record.key?.hexString, value: record.value?.hexString, timestamp: record.timestamp!,
                       headers: record.headers.map { [$0.key, $0.value.map { Array($0).hexString }] })
        }
        var checked = 0
        for (peer, available) in [("confluent", Self.hasConfluent), ("kafka-python", Self.hasKafkaPython)] where available {
            let run = try await PythonPeer.runScript("peer_consume.py", [peer, "\(try TestBroker.bootstrap())", topic, "10"])
            #expect(run.status == 0, "\(peer): \(run.stderr)")
            let read = try PeerRecord.parseLines(run.stdout)
            #expect(read == expected, "\(peer) read \(read.count) records: \(run.stderr.suffix(400))")
            checked += 1
        }
        if checked == 0 { print("skipped peer reads: python3 with confluent-kafka / kafka-python is not installed") }
        // Read back by us as well, so the test checks something without peers.
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: ["\(try TestBroker.bootstrap())"]))
        let stored = try await PartitionReader.readAll(topic: topic, partition: 0, cluster: cluster)
        #expect(stored.map { $0.value.map(Array.init) } == records.map(\.value))
        #expect(stored.map(\.timestamp) == records.map { $0.timestamp! })
        await cluster.close()
    }

    @Test("acks 0, 1 and all: every record reported and stored", arguments: [KafkaProducer.Acks.none, .leader, .all])
    func acksLevels(acks: KafkaProducer.Acks) async throws {
        let topic = TestBroker.uniqueTopicName("acks")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: try KafkaProducerTests.configuration {
            $0.acks = acks
            $0.enableIdempotence = acks == .all
        })
        for index in 0..<200 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: "record \(index)")) }
        var reports: [KafkaDeliveryReport] = []
        for await event in events {
            if case .deliveryReports(let batch) = event { reports += batch }
            if reports.count == 200 { break }
        }
        #expect(reports.allSatisfy { $0.isSuccess })
        if acks == .none {
            #expect(reports.allSatisfy { $0.offset == -1 }, "acks=0 gives no offsets")
        } else {
            #expect(Set(reports.compactMap(\.offset)).count == 200)
        }
        await producer.close()
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: ["\(try TestBroker.bootstrap())"]))
        let stored = try await PartitionReader.readAll(topic: topic, partition: 0, cluster: cluster)
        #expect(stored.map { String(decoding: $0.value ?? [], as: UTF8.self) } == (0..<200).map { "record \($0)" })
        await cluster.close()
    }

    @Test("idempotence with acks other than all is a configuration error")
    func idempotenceNeedsAcksAll() throws {
        #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: try KafkaProducerTests.configuration { $0.acks = .leader })
        }
    }
}

@Suite("KafkaProducer metrics")
struct ProducerMetricsTests {
    @Test("records, bytes and batch sizes are counted through swift-metrics")
    func countsRecords() async throws {
        let metrics = TestMetricsBootstrap.shared
        let topic = TestBroker.uniqueTopicName("metrics")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        var configuration = try KafkaProducerTests.configuration()
        configuration.cluster.connection.clientId = "metrics-\(topic)"
        let producer = try KafkaProducer(configuration: configuration)
        for index in 0..<50 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: "m\(index)")) }
        await producer.flush()
        await producer.close()
        let dimensions = [("client_id", "metrics-\(topic)")]
        let sent = try metrics.expectCounter("kafka_producer_records_sent_total", dimensions)
        #expect(sent.values.reduce(0, +) == 50)
        let bytes = try metrics.expectCounter("kafka_producer_bytes_sent_total", dimensions)
        #expect(bytes.values.reduce(0, +) > 50 * 2)
        let sizes = try metrics.expectRecorder("kafka_producer_batch_size_bytes", dimensions)
        #expect(!sizes.values.isEmpty)
    }
}

/// swift-metrics can be bootstrapped once per process; tests share this backend.
enum TestMetricsBootstrap {
    static let shared: TestMetrics = {
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        return metrics
    }()
}
