import Foundation
import KafkaClient
import KafkaTesting
import KafkaTracking
import KafkaWire
import Testing

/// What a `TrackedProducer` writes into the log, read back from the fake cluster:
/// the compact lineage header goes from the stack straight into the batch.
@Suite("Lineage headers as written, on the fake cluster")
struct FakeClusterLineageHeaderTests {
    static let stale = LineageMetadata(sourceService: "old", producedAt: 1)

    @Test("lineage already on a record is replaced, in either form; the record's own headers stay, in order, before it")
    func staleLineageReplaced() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("stamped", partitions: 2)
        let (producer, _) = try FakeClusterProducerTests.producer(cluster)
        let own = [KafkaHeader(key: "h1", value: [1]), KafkaHeader(key: "h2", value: nil)]
        var sent: [LineageMetadata.HeaderFormat: LineageMetadata] = [:]
        for format in [LineageMetadata.HeaderFormat.compact, .perField] {
            let tracked = TrackedProducer(producer, sourceService: "orders", headerFormat: format)
            let headers = [own[0]] + Self.stale.headers(format: .compact) + [own[1]] + Self.stale.headers(format: .perField)
            let partition: Int32 = format == .compact ? 0 : 1
            sent[format] = try await tracked.send(KafkaProducerRecord(topic: "stamped", partition: partition, key: "k", value: "v",
                                                                      headers: headers), eventType: "OrderPlacedEvent").lineage
        }
        await producer.close()

        let compact = try #require(try cluster.records(topic: "stamped", partition: 0).first)
        let lineage = try #require(sent[.compact])
        #expect(compact.headers.map(KafkaHeader.init) == own + lineage.headers(format: .compact))
        #expect(try LineageMetadata(headers: compact.headers.map(KafkaHeader.init)) == lineage)
        #expect(compact.timestamp == lineage.producedAt)

        let perField = try #require(try cluster.records(topic: "stamped", partition: 1).first)
        let perFieldLineage = try #require(sent[.perField])
        #expect(perField.headers.map(KafkaHeader.init) == own + perFieldLineage.headers(format: .perField))
        #expect(try LineageMetadata(headers: perField.headers.map(KafkaHeader.init)) == perFieldLineage)
    }

    @Test("a trailing header sent before the topic's partitions are known waits with the record and lands after its headers")
    func trailingHeaderWaitsForMetadata() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("late", partitions: 1)
        let (producer, _) = try FakeClusterProducerTests.producer(cluster)
        let stamp: [UInt8] = [0xCA, 0xFE]
        let key = Array("stamp".utf8)
        for index in 0..<3 {
            // A fresh producer knows no partition counts: the first records wait for metadata.
            let record = KafkaProducerRecord(topic: "late", value: "\(index)", headers: [KafkaHeader(key: "own", value: [UInt8(index)])])
            try key.withUnsafeBytes { keyBytes in
                try stamp.withUnsafeBytes { value in
                    _ = try producer.send(record, trailingHeader: BorrowedRecordHeader(key: keyBytes, value: value))
                }
            }
        }
        await producer.close()
        let records = try cluster.records(topic: "late", partition: 0)
        let expected = (0..<3).map { [KafkaHeader(key: "own", value: [UInt8($0)]), KafkaHeader(key: "stamp", value: stamp)] }
        #expect(records.map { $0.headers.map(KafkaHeader.init) } == expected)
    }
}
