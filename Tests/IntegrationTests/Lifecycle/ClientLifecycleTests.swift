import KafkaClient
import KafkaTesting
import KafkaWire
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// `run()` as a ServiceGroup needs it, on the fake cluster: a fatal error makes it
/// throw (and the group shut the other services down), and a close from elsewhere,
/// a second `run()` or the cancellation of its task never leave it hanging.
@Suite("Client lifecycle: fatal errors, close, cancellation and a second run()", .timeLimit(.minutes(1)))
struct ClientLifecycleTests {
    typealias Consumers = FakeClusterConsumerTests

    static func code(of error: any Error) -> KafkaError.Code? {
        (error as? KafkaError)?.code
    }

    /// How `task` ended, if it ended within `limit`; nil (an issue recorded) when it
    /// still runs: a run() that ignores what should end it fails here instead of hanging.
    static func outcome<T: Sendable>(of task: Task<T, any Error>, within limit: Duration = .seconds(20),
                                     _ what: String) async throws -> Result<T, any Error>? {
        let ended = VisibleLock<Result<T, any Error>?>(nil)
        Task { let result = await task.result; ended.withLock { $0 = result } }
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if let result = ended.withLock({ $0 }) { return result }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("\(what) did not end within \(limit)")
        return nil
    }

    @Test("a fenced transactional producer makes its run() throw; the group cancels the consumer, which still leaves its group")
    func fencedProducerThrows() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await Consumers.fill(cluster, topic: "payments", partitions: 1, perPartition: 5)
        let consumer = try Consumers.consumer(cluster, group: "payers")
        try consumer.subscribe(topics: ["payments"])
        let first = try FakeClusterTransactionTests.producer(cluster, transactionalId: "payer")
        try await first.initTransactions()
        let group = ServiceGroup(services: [consumer, first], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let joined = try await ConsumerGroupTests.waitUntil(.seconds(20)) { cluster.groupState("payers")?.members == 1 }
        try #require(joined)

        try first.beginTransaction()
        try first.send(KafkaProducerRecord(topic: "payments", partition: 0, value: "first"))
        let second = try FakeClusterTransactionTests.producer(cluster, transactionalId: "payer")
        try await second.initTransactions()
        await #expect { try await first.commitTransaction() } throws: { Self.code(of: $0) == .producerFenced }

        let ended = try await Self.outcome(of: running, "the group's run()")
        #expect(ended.map { if case .failure(let error) = $0 { Self.code(of: error) == .producerFenced } else { false } } == true,
                "\(String(describing: ended))")
        #expect(cluster.groupState("payers")?.members == 0, "the cancelled consumer closed gracefully and left")
        await second.close()
        if ended == nil {
            await consumer.close()
            await first.close()
        }
    }

    @Test("an error that ends consumption (TOPIC_AUTHORIZATION_FAILED) makes the consumer's run() throw; the group closes the producer")
    func fatalConsumerErrorThrows() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await Consumers.fill(cluster, topic: "secret", partitions: 1, perPartition: 5)
        let consumer = try Consumers.consumer(cluster)
        let (producer, _) = try FakeClusterProducerTests.producer(cluster)
        let group = ServiceGroup(services: [producer, consumer], logger: Logger(label: "test"))
        cluster.inject(FakeClusterFault(.error(.topicAuthorizationFailed), on: .fetch, topic: "secret", times: 1_000))
        let running = Task { try await group.run() }
        consumer.assign([TopicPartition(topic: "secret", partition: 0): .earliest])

        let ended = try await Self.outcome(of: running, "the group's run()")
        #expect(ended.map { if case .failure(let error) = $0 { (error as? KafkaError)?.brokerErrorCode == .topicAuthorizationFailed } else { false } } == true,
                "\(String(describing: ended))")
        #expect(throws: KafkaError.self) { try producer.send(KafkaProducerRecord(topic: "secret", value: "after")) }
        if ended == nil {
            await consumer.close()
            await producer.close()
        }
    }

    @Test("close() while run() runs makes run() return; a second run() throws illegalState at once")
    func closeWhileRunningAndRunTwice() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let (producer, _) = try FakeClusterProducerTests.producer(cluster)
        let consumer = try Consumers.consumer(cluster)
        let producerRun = Task { try await producer.run() }
        let consumerRun = Task { try await consumer.run() }
        try await Task.sleep(for: .milliseconds(200))
        await #expect { try await producer.run() } throws: { Self.code(of: $0) == .illegalState }
        await #expect { try await consumer.run() } throws: { Self.code(of: $0) == .illegalState }

        try producer.send(KafkaProducerRecord(topic: "closing", value: "flushed by close"))
        await producer.close()
        await consumer.close()
        try #require(try await Self.outcome(of: producerRun, "the producer's run() after close()")).get()
        try #require(try await Self.outcome(of: consumerRun, "the consumer's run() after close()")).get()
        #expect(cluster.endOffset(topic: "closing", partition: 0) == 1)
    }

    @Test("run() after close() returns at once")
    func runAfterClose() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let consumer = try Consumers.consumer(cluster)
        await consumer.close()
        try await consumer.run()
    }

    @Test("cancelling the task of run() closes gracefully: the consumer leaves its group and the producer flushes")
    func cancelledRunClosesGracefully() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await Consumers.fill(cluster, topic: "cancelled", partitions: 1, perPartition: 5)
        let consumer = try Consumers.consumer(cluster, group: "cancelled-group")
        try consumer.subscribe(topics: ["cancelled"])
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.linger = .seconds(60)
        let producer = try KafkaProducer(configuration: configuration)
        let consumerRun = Task { try await consumer.run() }
        let producerRun = Task { try await producer.run() }
        let joined = try await ConsumerGroupTests.waitUntil(.seconds(20)) { cluster.groupState("cancelled-group")?.members == 1 }
        try #require(joined)
        try producer.send(KafkaProducerRecord(topic: "cancelled-out", value: "lingering"))

        consumerRun.cancel()
        producerRun.cancel()
        let consumerEnded = try await Self.outcome(of: consumerRun, "the cancelled consumer's run()")
        let producerEnded = try await Self.outcome(of: producerRun, "the cancelled producer's run()")
        #expect(cluster.groupState("cancelled-group")?.members == 0)
        #expect(cluster.endOffset(topic: "cancelled-out", partition: 0) == 1, "the close flushed the lingering record")
        if consumerEnded == nil { await consumer.close() }
        if producerEnded == nil { await producer.close() }
        try consumerEnded?.get()
        try producerEnded?.get()
    }
}
