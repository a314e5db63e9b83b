import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// Every call that waits for the cluster returns promptly when its task is cancelled,
/// on the fake cluster with the answer it waits for held back (30 s): each throws
/// `KafkaError` `.cancelled` (`flush`, `waitForBufferSpace` and `close` return early)
/// while the answer is still held (`CancellationProbe` allows 10 s, for a loaded run;
/// alone each returns within milliseconds). Without the cancellation handlers each
/// would wait for the held answer and fail here.
@Suite("Cancellation of every waiting call", .timeLimit(.minutes(1)))
struct CancellationTests {
    typealias Consumers = FakeClusterConsumerTests

    static func producer(_ cluster: FakeKafkaCluster, _ configure: (inout KafkaProducer.Configuration) -> Void = { _ in }) throws -> KafkaProducer {
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.retryBackoff = .milliseconds(10)
        configure(&configuration)
        return try KafkaProducer(configuration: configuration)
    }

    /// A transactional producer with its transactional id registered.
    static func transactional(_ cluster: FakeKafkaCluster, id: String) async throws -> KafkaProducer {
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: id)
        try await producer.initTransactions()
        return producer
    }

    // MARK: Producer

    @Test("sendAndWait: throws .cancelled while the Produce answer is held, and the record is still written")
    func sendAndWait() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("held", partitions: 1)
        let gate = RequestGate(cluster, holding: [.produce])
        let producer = try Self.producer(cluster)
        let outcome = try await CancellationProbe.cancel({
            _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "held", partition: 0, value: "kept"))
        }, once: { gate.held > 0 }, release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        // Cancelling stopped the wait, not the send.
        await producer.close()
        #expect(cluster.endOffset(topic: "held", partition: 0) == 1)
    }

    @Test("flush: returns early while the Produce answer is held")
    func flush() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let gate = RequestGate(cluster, holding: [.produce])
        let producer = try Self.producer(cluster)
        try producer.send(KafkaProducerRecord(topic: "flushed", value: "waiting"))
        let outcome = try await CancellationProbe.cancel({ await producer.flush() }, once: { gate.held > 0 }, release: { _ in gate.open() })
        #expect(outcome != nil && outcome?.error == nil)
        await producer.close()
    }

    @Test("waitForBufferSpace: returns early while the full buffer waits for a held Produce answer")
    func waitForBufferSpace() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let gate = RequestGate(cluster, holding: [.produce])
        let producer = try Self.producer(cluster) { $0.maxBufferedRecords = 8 }
        var full = false
        for index in 0..<100 where !full {
            do throws(KafkaError) {
                try producer.send(KafkaProducerRecord(topic: "full", value: "\(index)"))
            } catch {
                full = error.code == .queueFull
            }
        }
        try #require(full, "the buffer never filled")
        let outcome = try await CancellationProbe.cancel({ await producer.waitForBufferSpace() }, once: { gate.held > 0 },
                                                         release: { _ in gate.open() })
        #expect(outcome != nil && outcome?.error == nil)
        await producer.close()
    }

    // MARK: Transactions

    @Test("initTransactions: throws .cancelled while InitProducerId is held")
    func initTransactions() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let gate = RequestGate(cluster, holding: [.initProducerId])
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "init-held")
        let outcome = try await CancellationProbe.cancel({ try await producer.initTransactions() }, once: { gate.held > 0 },
                                                         release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        await producer.close()
    }

    @Test("sendOffsetsToTransaction: throws .cancelled while the offsets' request is held, leaving the transaction abortable")
    func sendOffsetsToTransaction() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let producer = try await Self.transactional(cluster, id: "offsets-held")
        let gate = RequestGate(cluster, holding: [.addOffsetsToTxn, .txnOffsetCommit])
        try producer.beginTransaction()
        let outcome = try await CancellationProbe.cancel({
            try await producer.sendOffsetsToTransaction([TopicPartition(topic: "input", partition: 0): 5],
                                                        groupMetadata: ConsumerGroupMetadata(groupId: "readers"))
        }, once: { gate.held > 0 }, release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        await #expect { try await producer.commitTransaction() } throws: { ($0 as? KafkaError)?.code == .transactionAbortable }
        try await producer.abortTransaction()
        await producer.close()
    }

    @Test("commitTransaction: throws .cancelled while EndTxn is held; committing again completes it")
    func commitTransaction() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("committed", partitions: 1)
        let producer = try await Self.transactional(cluster, id: "commit-held")
        let gate = RequestGate(cluster, holding: [.endTxn])
        try producer.beginTransaction()
        try producer.send(KafkaProducerRecord(topic: "committed", partition: 0, value: "in the transaction"))
        let outcome = try await CancellationProbe.cancel({ try await producer.commitTransaction() }, once: { gate.held > 0 },
                                                         release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        // The cancelled EndTxn may have committed: only another commit may follow, and it completes.
        try await producer.commitTransaction()
        #expect(cluster.lastStableOffset(topic: "committed", partition: 0) == cluster.endOffset(topic: "committed", partition: 0))
        await producer.close()
    }

    @Test("abortTransaction: throws .cancelled while EndTxn is held; aborting again completes it")
    func abortTransaction() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("aborted", partitions: 1)
        let producer = try await Self.transactional(cluster, id: "abort-held")
        try producer.beginTransaction()
        try producer.send(KafkaProducerRecord(topic: "aborted", partition: 0, value: "in the transaction"))
        await producer.flush()
        let gate = RequestGate(cluster, holding: [.endTxn])
        let outcome = try await CancellationProbe.cancel({ try await producer.abortTransaction() }, once: { gate.held > 0 },
                                                         release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        try await producer.abortTransaction()
        try producer.beginTransaction()
        await producer.close()
    }

    // MARK: Consumer

    @Test("messages: an iteration waiting for records throws .cancelled; records that come later are read by the next loop")
    func messages() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("quiet", partitions: 1)
        let consumer = try Consumers.consumer(cluster)
        consumer.assign([TopicPartition(topic: "quiet", partition: 0): .earliest])
        let outcome = try await CancellationProbe.cancel({
            for try await _ in consumer.messages {}
        }, once: { cluster.receivedRequests.contains { $0.apiKey == .fetch } }, release: { returned in
            // A wait that ignored the cancellation ends only with the consumer.
            if !returned { Task { await consumer.close() } }
        })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")

        let producer = try Self.producer(cluster)
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "quiet", partition: 0, value: "later"))
        await producer.close()
        var iterator = consumer.messages.makeAsyncIterator()
        #expect(try await iterator.next()?.valueString == "later")
        await consumer.close()
    }

    @Test("commit: throws .cancelled while OffsetCommit is held")
    func commit() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let consumer = try Consumers.consumer(cluster, group: "slow-commits") { $0.enableAutoCommit = false }
        let gate = RequestGate(cluster, holding: [.offsetCommit])
        let outcome = try await CancellationProbe.cancel({
            try await consumer.commit([TopicPartition(topic: "committing", partition: 0): 3])
        }, once: { gate.held > 0 }, release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        await consumer.close()
    }

    // MARK: Admin and connections

    @Test("admin: createTopics throws .cancelled while CreateTopics is held")
    func adminCall() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let gate = RequestGate(cluster, holding: [.createTopics])
        let outcome = try await CancellationProbe.cancel({
            _ = try await admin.createTopics([NewTopic(name: "created", partitions: 1, replicationFactor: 1)])
        }, once: { gate.held > 0 }, release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        await admin.close()
    }

    @Test("a connection: waiting until it is ready throws .cancelled while ApiVersions is held")
    func connectionReady() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let gate = RequestGate(cluster, holding: [.apiVersions])
        let port = try #require(cluster.bootstrapServers.first?.split(separator: ":").last.flatMap { Int($0) })
        let connection = try BrokerConnection(host: "127.0.0.1", port: port)
        let outcome = try await CancellationProbe.cancel({ _ = try await connection.apiVersions() }, once: { gate.held > 0 },
                                                         release: { _ in gate.open() })
        #expect(CancellationProbe.threwCancelled(outcome), "\(String(describing: outcome))")
        await connection.close()
    }

    @Test("a connection: close() waiting for a held answer to drain returns early")
    func connectionClose() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let port = try #require(cluster.bootstrapServers.first?.split(separator: ":").last.flatMap { Int($0) })
        let connection = try BrokerConnection(host: "127.0.0.1", port: port)
        _ = try await connection.apiVersions()
        let gate = RequestGate(cluster, holding: [.metadata])
        var request = MetadataRequest()
        request.topics = []
        let pending = Task { try? await connection.send(request) }
        // close() only waits while a request is in flight: one that starts before the
        // request is posted closes at once and the request fails unsent. So wait for
        // the request to reach the gate first, rather than race the two tasks (a loaded
        // run started close() first and the request never reached the gate).
        let held = try await ConsumerGroupTests.waitUntil(.seconds(20)) { gate.held > 0 }
        try #require(held, "the Metadata request never reached the fake cluster")
        let outcome = try await CancellationProbe.cancel({ await connection.close() }, once: { true }, release: { _ in gate.open() })
        #expect(outcome != nil && outcome?.error == nil)
        _ = await pending.value
        await connection.close(drain: false)
    }
}
