import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// The transactional producer against the real broker: what it writes (data
/// batches flagged transactional, then a COMMIT or ABORT marker), fencing by a
/// second instance, and the calls it refuses out of order.
@Suite("Transactional producer")
struct TransactionalProducerTests {
    static func producer(transactionalId: String, _ configure: (inout KafkaProducer.Configuration) -> Void = { _ in })
        throws -> KafkaProducer {
        try KafkaProducer(configuration: try KafkaProducerTests.configuration {
            $0.transactionalId = transactionalId
            $0.maxBlock = .seconds(20)
            configure(&$0)
        })
    }

    static func cluster() throws -> KafkaCluster {
        try KafkaCluster(configuration: .init(bootstrapServers: ["\(try TestBroker.bootstrap())"]))
    }

    @Test("a committed transaction over two partitions: transactional batches, then a COMMIT marker in each")
    func commitWritesMarkers() async throws {
        let topic = TestBroker.uniqueTopicName("txn-commit")
        try await KafkaProducerTests.createTopic(topic, partitions: 2)
        let producer = try Self.producer(transactionalId: "txn-\(topic)")
        try await producer.initTransactions()
        try producer.beginTransaction()
        for index in 0..<20 {
            try producer.send(KafkaProducerRecord(topic: topic, partition: Int32(index % 2), key: nil, value: "c\(index)"))
        }
        try await producer.commitTransaction()
        await producer.close()

        let cluster = try Self.cluster()
        for partition: Int32 in 0..<2 {
            let log = try await TransactionLog.read(topic: topic, partition: partition, cluster: cluster)
            let expected = (0..<20).filter { $0 % 2 == Int(partition) }.map { "c\($0)" }
            #expect(log.markers == [.commit], "partition \(partition)")
            #expect(log.committed.map(\.text) == expected)
            #expect(log.committed.allSatisfy { $0.isTransactional })
            #expect(log.undecided.isEmpty)
        }
        await cluster.close()
    }

    @Test("an aborted transaction leaves its records behind an ABORT marker; the next transaction commits")
    func abortThenCommit() async throws {
        let topic = TestBroker.uniqueTopicName("txn-abort")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try Self.producer(transactionalId: "txn-\(topic)")
        try await producer.initTransactions()

        try producer.beginTransaction()
        for index in 0..<5 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "aborted-\(index)")) }
        await producer.flush()
        try await producer.abortTransaction()

        try producer.beginTransaction()
        for index in 0..<3 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "kept-\(index)")) }
        try await producer.commitTransaction()
        await producer.close()

        let cluster = try Self.cluster()
        let log = try await TransactionLog.read(topic: topic, partition: 0, cluster: cluster)
        #expect(log.markers == [.abort, .commit])
        #expect(log.allValues.prefix(5) == ["aborted-0", "aborted-1", "aborted-2", "aborted-3", "aborted-4"])
        #expect(log.committed.map(\.text) == ["kept-0", "kept-1", "kept-2"])
        await cluster.close()
    }

    @Test("abort before anything was flushed fails the unsent records with .transactionAbortable and writes nothing")
    func abortFailsUnsentRecords() async throws {
        let topic = TestBroker.uniqueTopicName("txn-unsent")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try Self.producer(transactionalId: "txn-\(topic)") { $0.linger = .seconds(30) }
        try await producer.initTransactions()
        try producer.beginTransaction()
        async let report = producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "never"))
        try await Task.sleep(for: .milliseconds(200))
        try await producer.abortTransaction()
        do {
            let delivered = try await report
            Issue.record("an aborted transaction's unsent record was delivered: \(delivered)")
        } catch {
            #expect((error as? KafkaError)?.code == .transactionAbortable, "\(error)")
        }
        await producer.close()
        let cluster = try Self.cluster()
        let log = try await TransactionLog.read(topic: topic, partition: 0, cluster: cluster)
        #expect(log.allValues.isEmpty)
        await cluster.close()
    }

    @Test("a second producer with the same transactional.id fences the first: its commit and sends fail with .producerFenced")
    func fencing() async throws {
        let topic = TestBroker.uniqueTopicName("txn-fence")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let id = "txn-\(topic)"
        // kfake does not abort the open transaction when a new instance calls
        // InitProducerId, as Kafka does; it aborts it when transaction.timeout.ms passes
        // (kfake's README). There the old transaction gets a short timeout, and the new
        // instance starts after it.
        let timeout: Duration = TestBroker.isKfake ? .seconds(3) : .seconds(60)
        let old = try Self.producer(transactionalId: id) { $0.transactionTimeout = timeout }
        try await old.initTransactions()
        try old.beginTransaction()
        try old.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "from-old"))
        await old.flush()
        if TestBroker.isKfake { try await Task.sleep(for: timeout + .seconds(2)) }

        let new = try Self.producer(transactionalId: id)
        try await new.initTransactions()

        // The old producer's next Produce carries the old epoch and is refused. (Tansu
        // closes the connection on an EndTxn with an old epoch instead of answering
        // PRODUCER_FENCED, so the test meets the fence on Produce, as librdkafka's audit does.)
        try old.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "from-old-after-fence"))
        let commit = await Result { () async throws(KafkaError) in try await old.commitTransaction() }
        guard case .failure(let error) = commit else {
            Issue.record("the fenced producer committed")
            return
        }
        if TestBroker.isKfake && error.code == .transactionAbortable {
            // kfake ended the old transaction on its timeout, so the old producer's Produce
            // met INVALID_TXN_STATE (abortable, as in the Java client) before the fence.
            // The fence shows when it aborts: its epoch is no longer the transaction's.
            let abort = await Result { () async throws(KafkaError) in try await old.abortTransaction() }
            guard case .failure(let fenced) = abort else {
                Issue.record("the fenced producer aborted its transaction")
                return
            }
            #expect(fenced.code == .producerFenced, "\(fenced)")
        } else {
            #expect(error.code == .producerFenced, "\(error)")
        }
        // Fatal from now on: nothing else works on the old producer.
        #expect(throws: KafkaError.self) { try old.beginTransaction() }
        #expect(throws: KafkaError.self) { try old.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "late")) }
        await old.close()

        try await new.withTransaction {
            try new.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "from-new"))
        }
        await new.close()
        let cluster = try Self.cluster()
        let log = try await TransactionLog.read(topic: topic, partition: 0, cluster: cluster)
        #expect(log.committed.map(\.text) == ["from-new"])
        #expect(!log.committed.contains { $0.text == "from-old" })
        await cluster.close()
    }

    @Test("withTransaction aborts when the body throws, and rethrows")
    func withTransactionAborts() async throws {
        struct Boom: Error {}
        let topic = TestBroker.uniqueTopicName("txn-with")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try Self.producer(transactionalId: "txn-\(topic)")
        try await producer.initTransactions()
        await #expect(throws: Boom.self) {
            try await producer.withTransaction {
                try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "doomed"))
                await producer.flush()
                throw Boom()
            }
        }
        let value = try await producer.withTransaction { () async throws -> Int in
            try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "fine"))
            return 7
        }
        #expect(value == 7)
        await producer.close()
        let cluster = try Self.cluster()
        let log = try await TransactionLog.read(topic: topic, partition: 0, cluster: cluster)
        #expect(log.markers == [.abort, .commit])
        #expect(log.committed.map(\.text) == ["fine"])
        await cluster.close()
    }

    @Test("calls out of order are refused with .illegalState; configuration mistakes with .invalidConfiguration")
    func illegalStates() async throws {
        let topic = TestBroker.uniqueTopicName("txn-illegal")
        let producer = try Self.producer(transactionalId: "txn-\(topic)")
        let record = KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "x")
        #expect { try producer.send(record) } throws: { ($0 as? KafkaError)?.code == .illegalState }
        #expect { try producer.beginTransaction() } throws: { ($0 as? KafkaError)?.code == .illegalState }
        try await producer.initTransactions()
        await #expect { try await producer.initTransactions() } throws: { ($0 as? KafkaError)?.code == .illegalState }
        #expect { try producer.send(record) } throws: { ($0 as? KafkaError)?.code == .illegalState }
        await #expect { try await producer.commitTransaction() } throws: { ($0 as? KafkaError)?.code == .illegalState }
        await #expect { try await producer.abortTransaction() } throws: { ($0 as? KafkaError)?.code == .illegalState }
        try producer.beginTransaction()
        #expect { try producer.beginTransaction() } throws: { ($0 as? KafkaError)?.code == .illegalState }
        // An empty transaction commits without troubling the coordinator.
        try await producer.commitTransaction()
        await producer.close()

        let plain = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        await #expect { try await plain.initTransactions() } throws: { ($0 as? KafkaError)?.code == .illegalState }
        await plain.close()
        #expect { try Self.producer(transactionalId: "x") { $0.enableIdempotence = false; $0.acks = .leader } }
            throws: { ($0 as? KafkaError)?.code == .invalidConfiguration }
        #expect { try Self.producer(transactionalId: "") } throws: { ($0 as? KafkaError)?.code == .invalidConfiguration }
    }
}
