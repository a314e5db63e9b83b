import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// Transactions checked against librdkafka (confluent-kafka) on the same broker.
/// Tansu sends no aborted-transaction list in Fetch, so every read_committed
/// consumer (ours and librdkafka's) would also return aborted records there
/// (TANSU.md); aborted data is checked from the markers in the log instead, and
/// the filtering itself by the consumer's unit tests on spec-built responses.
@Suite("Transactions with librdkafka")
struct TransactionInteropTests {
    static let hasConfluent = PythonPeer.hasModule("confluent_kafka")

    @Test("librdkafka's aborted then committed transaction: ABORT and COMMIT markers; our read_committed consumer reads the committed records")
    func readPeerTransactions() async throws {
        guard Self.hasConfluent else {
            print("skipped: python3 with confluent-kafka is not installed")
            return
        }
        let topic = TestBroker.uniqueTopicName("txn-peer-in")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let run = try await PythonPeer.runScript("peer_txn.py", ["produce", "\(try TestBroker.bootstrap())", topic, "peer-\(topic)"])
        #expect(run.status == 0, "\(run.stderr.suffix(600))")

        let cluster = try TransactionalProducerTests.cluster()
        let log = try await TransactionLog.read(topic: topic, partition: 0, cluster: cluster)
        await cluster.close()
        #expect(log.markers == [.abort, .commit])
        let committed = log.committed
        #expect(committed.map(\.text) == (0..<10).map { "c\($0)" })
        let firstCommitted = try #require(committed.first?.offset)

        let consumer = try KafkaConsumerTests.consumer { $0.isolationLevel = .readCommitted }
        consumer.assign([TopicPartition(topic: topic, partition: 0): .offset(firstCommitted)])
        let read = try await KafkaConsumerTests.read(10, from: consumer)
        #expect(read.map { String(decoding: $0.value ?? [], as: UTF8.self) } == (0..<10).map { "c\($0)" })
        // The COMMIT marker's offset is skipped, not returned as a record.
        #expect(read.map(\.offset) == committed.map(\.offset))
        await consumer.close()
    }

    @Test("our committed transaction is read by librdkafka with isolation.level=read_committed")
    func peerReadsOurTransaction() async throws {
        guard Self.hasConfluent else {
            print("skipped: python3 with confluent-kafka is not installed")
            return
        }
        let topic = TestBroker.uniqueTopicName("txn-peer-out")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try TransactionalProducerTests.producer(transactionalId: "ours-\(topic)")
        try await producer.initTransactions()
        try await producer.withTransaction {
            for index in 0..<10 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "ours-\(index)")) }
        }
        await producer.close()
        let run = try await PythonPeer.runScript("peer_txn.py", ["consume", "\(try TestBroker.bootstrap())", topic, "10"])
        #expect(run.status == 0, "\(run.stderr.suffix(600))")
        let values = run.stdout.split(separator: "\n").map(String.init)
        #expect(values == (0..<10).map { "ours-\($0)" })
    }
}
