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

        await #expect { try await running.value } throws: { Self.code(of: $0) == .producerFenced }
        #expect(cluster.groupState("payers")?.members == 0, "the cancelled consumer closed gracefully and left")
        await second.close()
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

        await #expect { try await running.value } throws: { ($0 as? KafkaError)?.brokerErrorCode == .topicAuthorizationFailed }
        #expect(throws: KafkaError.self) { try producer.send(KafkaProducerRecord(topic: "secret", value: "after")) }
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
        try await producerRun.value
        try await consumerRun.value
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
        try await consumerRun.value
        try await producerRun.value
        #expect(cluster.groupState("cancelled-group")?.members == 0)
        #expect(cluster.endOffset(topic: "cancelled-out", partition: 0) == 1, "the close flushed the lingering record")
    }
}
