import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// MESSAGE_TOO_LARGE for a batch of several records: the producer splits it and
/// sends the halves (as Java's producer splits), with the sequences the broker
/// expects; only a single record that is too large fails.
@Suite("MESSAGE_TOO_LARGE on the fake cluster")
struct FakeClusterMessageTooLargeTests {
    /// A cluster whose partitions take batches of at most `maxMessageBytes`.
    static func cluster(maxMessageBytes: Int) throws -> FakeKafkaCluster {
        var configuration = FakeKafkaCluster.Configuration()
        configuration.brokerCount = 1
        configuration.maxMessageBytes = maxMessageBytes
        return try FakeKafkaCluster(configuration: configuration)
    }

    /// A producer that lingers, so its batches grow well past the cluster's limit.
    static func producer(_ cluster: FakeKafkaCluster, idempotent: Bool = true,
                         compression: CompressionCodec = .none) throws -> (KafkaProducer, KafkaProducerEvents) {
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.compression = KafkaCompressionCodec(compression)
        configuration.linger = .milliseconds(50)
        configuration.batchSize = 16_384
        configuration.retryBackoff = .milliseconds(10)
        configuration.enableIdempotence = idempotent
        if !idempotent { configuration.maxInFlightPerConnection = 1 }
        return try KafkaProducer.makeProducerWithEvents(configuration: configuration)
    }

    @Test("idempotent: batches over message.max.bytes are split until they fit; every record once, in order",
          .timeLimit(.minutes(1)))
    func splitIdempotent() async throws {
        let cluster = try Self.cluster(maxMessageBytes: 1_000)
        defer { cluster.close() }
        try cluster.createTopic("large", partitions: 2)
        let (producer, events) = try Self.producer(cluster)
        let sent = try await FakeClusterProducerTests.send(3_000, to: "large", partitions: 2, with: producer)
        let (reports, duplicates) = await ProducerFailureTests.collect(events, count: sent.count)
        await producer.close()
        #expect(duplicates == 0)
        try FakeClusterProducerTests.verify(cluster, topic: "large", partitions: 2, sent: sent, reports: reports)
        for partition in Int32(0)..<2 {
            for batch in try cluster.batches(topic: "large", partition: partition) {
                #expect(batch.records.count < 100, "a batch of \(batch.records.count) records got through")
            }
        }
    }

    @Test("one partition, with and without idempotence and compression: split, every record once, in order",
          .timeLimit(.minutes(1)), arguments: [(true, CompressionCodec.none), (true, .lz4), (false, .none), (false, .zstd)])
    func splitOnePartition(idempotent: Bool, compression: CompressionCodec) async throws {
        let cluster = try Self.cluster(maxMessageBytes: 1_000)
        defer { cluster.close() }
        try cluster.createTopic("large-one", partitions: 1)
        let (producer, events) = try Self.producer(cluster, idempotent: idempotent, compression: compression)
        let sent = try await FakeClusterProducerTests.send(2_000, to: "large-one", partitions: 1, with: producer)
        let (reports, duplicates) = await ProducerFailureTests.collect(events, count: sent.count)
        await producer.close()
        #expect(duplicates == 0)
        try FakeClusterProducerTests.verify(cluster, topic: "large-one", partitions: 1, sent: sent, reports: reports)
        // Each stored batch took one request; the requests beyond those were refused as too large.
        let produces = cluster.receivedRequests.filter { $0.apiKey == .produce }.count
        let stored = try cluster.batches(topic: "large-one", partition: 0).count
        #expect(produces > stored, "\(produces) Produce requests for \(stored) batches: nothing was refused")
    }

    @Test("in a transaction: the split batches stay in it and commit", .timeLimit(.minutes(1)))
    func splitInTransaction() async throws {
        let cluster = try Self.cluster(maxMessageBytes: 1_000)
        defer { cluster.close() }
        try cluster.createTopic("large-tx", partitions: 1)
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "large-tx") { $0.linger = .milliseconds(50) }
        try await producer.initTransactions()
        try producer.beginTransaction()
        for index in 0..<500 { _ = try producer.send(KafkaProducerRecord(topic: "large-tx", value: "\(index)")) }
        try await producer.commitTransaction()
        await producer.close()
        let values = try await FakeClusterTransactionTests.values(cluster, topic: "large-tx", partitions: 1, count: 500,
                                                                  isolation: .readCommitted)
        #expect(values == (0..<500).map { "\($0)" })
        #expect(try cluster.batches(topic: "large-tx", partition: 0).filter { !$0.attributes.isControl }.count > 1)
    }

    @Test("a single record over the limit fails with messageTooLarge; the records around it are delivered",
          .timeLimit(.minutes(1)))
    func singleRecordFails() async throws {
        let cluster = try Self.cluster(maxMessageBytes: 1_000)
        defer { cluster.close() }
        try cluster.createTopic("one-large", partitions: 1)
        let (producer, _) = try Self.producer(cluster)
        let before = try await producer.sendAndWait(KafkaProducerRecord(topic: "one-large", value: "before"))
        do {
            _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "one-large", value: [UInt8](repeating: 7, count: 2_000)))
            Issue.record("a 2,000-byte record was written past message.max.bytes 1,000")
        } catch {
            #expect(error.code == .messageTooLarge, "\(error)")
            #expect(error.brokerErrorCode == .messageTooLarge)
        }
        let after = try await producer.sendAndWait(KafkaProducerRecord(topic: "one-large", value: "after"))
        await producer.close()
        #expect(before.isSuccess && after.isSuccess)
        let values = try cluster.records(topic: "one-large", partition: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(values == ["before", "after"])
    }
}
