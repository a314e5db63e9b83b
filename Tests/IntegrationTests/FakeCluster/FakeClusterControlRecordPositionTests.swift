import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// A consumer that read every record must reach the end of the log, lag 0, also when
/// what follows its last record is a transaction marker or aborted records fetched on
/// their own (issue: the position stopped before them, so lag stayed 1 after every
/// transaction).
@Suite("Consumer: the position moves past control records and aborted records")
struct FakeClusterControlRecordPositionTests {
    static func waitForPosition(_ consumer: KafkaConsumer, _ key: TopicPartition, _ end: Int64) async throws {
        // Asking for more finishes the last record and goes over what has no records to hand out.
        let waiting = Task {
            var more = consumer.messages.makeAsyncIterator()
            return try await more.next()
        }
        _ = try await ConsumerGroupTests.waitUntil(.seconds(10)) { consumer.position(key) == end }
        #expect(consumer.position(key) == end)
        #expect(consumer.lag(key) == 0)
        await consumer.close()
        _ = try? await waiting.value
    }

    @Test("read_uncommitted: records read while the transaction is open, then the COMMIT marker alone", .timeLimit(.minutes(1)))
    func markerFetchedAlone() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("marked", partitions: 1)
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "marked")
        try await producer.initTransactions()
        try producer.beginTransaction()
        for index in 0..<3 { _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "marked", partition: 0, value: "r\(index)")) }

        let key = TopicPartition(topic: "marked", partition: 0)
        let consumer = try FakeClusterConsumerTests.consumer(cluster) { $0.isolationLevel = .readUncommitted }
        consumer.assign([key: .earliest])
        var iterator = consumer.messages.makeAsyncIterator()
        for _ in 0..<3 { _ = try await iterator.next() }
        try await producer.commitTransaction()
        await producer.close()
        let end = try #require(cluster.endOffset(topic: "marked", partition: 0))
        #expect(end == 4, "three records and a COMMIT marker")
        try await Self.waitForPosition(consumer, key, end)
    }

    @Test("read_committed: after a committed transaction is read, an aborted one (records and marker) is passed over", .timeLimit(.minutes(1)))
    func abortedPassedOver() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("passed", partitions: 1)
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "passed")
        try await producer.initTransactions()
        try await producer.withTransaction {
            for index in 0..<3 { _ = try producer.send(KafkaProducerRecord(topic: "passed", partition: 0, value: "kept\(index)")) }
        }
        let key = TopicPartition(topic: "passed", partition: 0)
        let consumer = try FakeClusterConsumerTests.consumer(cluster) { $0.isolationLevel = .readCommitted }
        consumer.assign([key: .earliest])
        var iterator = consumer.messages.makeAsyncIterator()
        for _ in 0..<3 { _ = try await iterator.next() }
        try producer.beginTransaction()
        for index in 0..<2 { _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "passed", partition: 0, value: "gone\(index)")) }
        try await producer.abortTransaction()
        await producer.close()
        let end = try #require(cluster.endOffset(topic: "passed", partition: 0))
        #expect(end == 7, "3 records, COMMIT, 2 aborted records, ABORT")
        try await Self.waitForPosition(consumer, key, end)
    }
}
