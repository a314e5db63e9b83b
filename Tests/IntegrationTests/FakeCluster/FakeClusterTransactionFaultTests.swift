import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// Transactions under the faults where the Java client's rules matter: a commit
/// whose outcome is unknown, a partition leader refusing the epoch (KIP-588), and
/// the epoch bump on abort naming the producer (KIP-360).
@Suite("Transactions on the fake cluster: timeouts and epochs")
struct FakeClusterTransactionFaultTests {
    static func text(_ cluster: FakeKafkaCluster, _ topic: String) throws -> [String] {
        try cluster.records(topic: topic, partition: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    @Test("EndTxn unanswered past max.block.ms: commit throws requestTimedOut, abort is refused, the second commit completes it",
          .timeLimit(.minutes(1)))
    func commitTimeoutIsRetried() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("unknown-outcome", partitions: 1)
        let refuseEndTxn = VisibleLock(false)
        cluster.setRequestHook { request in
            request.apiKey == .endTxn && refuseEndTxn.withLock { $0 } ? .fail(.coordinatorLoadInProgress) : .proceed
        }
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "unknown-outcome") { $0.maxBlock = .seconds(1) }
        try await producer.initTransactions()
        try producer.beginTransaction()
        #expect(try await producer.sendAndWait(KafkaProducerRecord(topic: "unknown-outcome", partition: 0, value: "kept")).isSuccess)

        refuseEndTxn.withLock { $0 = true }
        await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        do { try await producer.commitTransaction() } catch { #expect(error.code == .requestTimedOut, "\(error)") }
        do {
            try await producer.abortTransaction()
            Issue.record("aborting a transaction that may have committed was allowed")
        } catch {
            #expect(error.code == .illegalState, "\(error)")
        }
        refuseEndTxn.withLock { $0 = false }
        try await producer.commitTransaction()
        #expect(cluster.lastStableOffset(topic: "unknown-outcome", partition: 0) == cluster.endOffset(topic: "unknown-outcome", partition: 0))
        let visible = try await FakeClusterTransactionTests.values(cluster, topic: "unknown-outcome", partitions: 1, count: 1,
                                                                    isolation: .readCommitted)
        #expect(visible == ["kept"])
        // And the producer goes on.
        try await producer.withTransaction {
            _ = try producer.send(KafkaProducerRecord(topic: "unknown-outcome", partition: 0, value: "next"))
        }
        await producer.close()
    }

    @Test("INVALID_PRODUCER_EPOCH from the leader is abortable (KIP-588); the abort's epoch bump names the producer id and epoch (KIP-360)",
          .timeLimit(.minutes(1)))
    func invalidEpochAbortsAndBumps() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("epochs", partitions: 1)
        let initRequests = VisibleLock<[(producerId: Int64, epoch: Int16)]>([])
        cluster.setRequestHook { request in
            if request.apiKey == .initProducerId, let body = try? request.decode(InitProducerIdRequest.self) {
                initRequests.withLock { $0.append((body.producerId, body.producerEpoch)) }
            }
            return .proceed
        }
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "epochs")
        try await producer.initTransactions()
        let first = try #require(cluster.producerIdentity(transactionalId: "epochs"))

        try producer.beginTransaction()
        #expect(try await producer.sendAndWait(KafkaProducerRecord(topic: "epochs", partition: 0, value: "aborted-1")).isSuccess)
        cluster.inject(FakeClusterFault(.error(.invalidProducerEpoch), on: .produce, topic: "epochs"))
        await #expect { try await producer.sendAndWait(KafkaProducerRecord(topic: "epochs", partition: 0, value: "refused")) } throws: {
            ($0 as? KafkaError)?.brokerErrorCode == .invalidProducerEpoch
        }
        do {
            try await producer.commitTransaction()
            Issue.record("committed a transaction that lost a record")
        } catch {
            #expect(error.code == .transactionAbortable, "abortable, not fatal: \(error)")
        }
        try await producer.abortTransaction()

        let requests = initRequests.withLock { $0 }
        #expect(requests.count == 2)
        #expect(requests.first.map { $0.producerId == -1 && $0.epoch == -1 } == true, "the first init is anonymous")
        #expect(requests.last.map { $0.producerId == first.producerId && $0.epoch == first.epoch } == true,
                "the bump names the producer (KIP-360), else it would fence a newer one: \(requests)")
        let bumped = try #require(cluster.producerIdentity(transactionalId: "epochs"))
        #expect(bumped.producerId == first.producerId && bumped.epoch == first.epoch + 1)

        try await producer.withTransaction {
            _ = try producer.send(KafkaProducerRecord(topic: "epochs", partition: 0, value: "committed"))
        }
        await producer.close()
        let visible = try await FakeClusterTransactionTests.values(cluster, topic: "epochs", partitions: 1, count: 1, isolation: .readCommitted)
        #expect(visible == ["committed"])
    }

    @Test("CLUSTER_AUTHORIZATION_FAILED on a transactional produce is fatal (KIP-588)", .timeLimit(.minutes(1)))
    func authorizationIsFatal() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("denied", partitions: 1)
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "denied")
        try await producer.initTransactions()
        try producer.beginTransaction()
        cluster.inject(FakeClusterFault(.error(.clusterAuthorizationFailed), on: .produce, topic: "denied"))
        await #expect { try await producer.sendAndWait(KafkaProducerRecord(topic: "denied", partition: 0, value: "x")) } throws: {
            ($0 as? KafkaError)?.code == .transactionFatal
        }
        do { try await producer.abortTransaction() } catch { #expect(error.code == .transactionFatal) }
        #expect(throws: KafkaError.self) { try producer.beginTransaction() }
        await producer.close()
    }

    @Test("a transactional batch that times out client-side: the abort bumps the epoch, the late write hangs nothing (KAFKA-14053)",
          .timeLimit(.minutes(1)))
    func deliveryTimeoutBumpsOnAbort() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("late", partitions: 1)
        let holdProduce = VisibleLock(false)
        let initRequests = VisibleLock<[(producerId: Int64, epoch: Int16)]>([])
        cluster.setRequestHook { request in
            if request.apiKey == .initProducerId, let body = try? request.decode(InitProducerIdRequest.self) {
                initRequests.withLock { $0.append((body.producerId, body.producerEpoch)) }
            }
            // The broker handles the Produce long after the client gave up on it.
            if request.apiKey == .produce, holdProduce.withLock({ $0 }) { return .delay(.seconds(3)) }
            return .proceed
        }
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "late") {
            $0.requestTimeout = .milliseconds(700)
            $0.cluster.connection.requestTimeout = .milliseconds(700)
            $0.deliveryTimeout = .seconds(1)
        }
        try await producer.initTransactions()
        let first = try #require(cluster.producerIdentity(transactionalId: "late"))
        try producer.beginTransaction()
        holdProduce.withLock { $0 = true }
        await #expect(throws: KafkaError.self) {
            try await producer.sendAndWait(KafkaProducerRecord(topic: "late", partition: 0, value: "timed-out"))
        }
        holdProduce.withLock { $0 = false }
        await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        try await producer.abortTransaction()
        #expect(initRequests.withLock { $0.last.map { $0.producerId == first.producerId && $0.epoch == first.epoch } } == true,
                "the abort bumped the epoch naming the producer: \(initRequests.withLock { $0 })")
        #expect(cluster.producerIdentity(transactionalId: "late")?.epoch == first.epoch + 1)

        try await Task.sleep(for: .seconds(3))  // the held write reaches the log, or is refused
        try await producer.withTransaction {
            _ = try producer.send(KafkaProducerRecord(topic: "late", partition: 0, value: "committed"))
        }
        await producer.close()
        #expect(cluster.lastStableOffset(topic: "late", partition: 0) == cluster.endOffset(topic: "late", partition: 0),
                "no transaction left hanging")
        let visible = try await FakeClusterTransactionTests.values(cluster, topic: "late", partitions: 1, count: 1, isolation: .readCommitted)
        #expect(visible == ["committed"])
    }
}
