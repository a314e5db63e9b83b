import KafkaClient
import KafkaTestSupport
import KafkaTesting
import KafkaWire
import Logging
import ServiceLifecycle
import Testing

/// The README's ServiceGroup (a producer, a consumer and the application's service)
/// shut down gracefully, on the in-process fake cluster and on kfake: every invoice
/// delivered, the consumer's offsets committed and its membership gone, `run()` returned.
/// Serialized: one of them sends this process a SIGTERM, which every running Billing
/// group would take as its shutdown.
@Suite("ServiceGroup lifecycle: graceful shutdown", .serialized, .timeLimit(.minutes(2)))
struct ServiceGroupLifecycleTests {
    static let orders = 40

    /// Fills "orders", runs the README's group until every order is invoiced, shuts it
    /// down gracefully and checks, through the admin client, what the shutdown left.
    static func gracefulShutdown(servers: [String]) async throws {
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: servers))
        _ = try await admin.createTopics([NewTopic(name: "orders", partitions: 2, replicationFactor: 1),
                                          NewTopic(name: "invoices", partitions: 1, replicationFactor: 1)])
        let filler = try KafkaProducer(configuration: .init(bootstrapServers: servers))
        for index in 0..<orders {
            _ = try await filler.sendAndWait(KafkaProducerRecord(topic: "orders", partition: Int32(index % 2), key: "\(index)", value: "order \(index)"))
        }
        await filler.close()

        // A 60 s linger: the invoices wait in the producer until the shutdown flushes them.
        let billing = try BillingServiceGroup(servers: servers, linger: .seconds(60)) { $0.heartbeatInterval = .milliseconds(300) }
        let running = Task { try await billing.group.run() }
        let invoicedAll = try await ConsumerGroupTests.waitUntil(.seconds(60)) { billing.invoiced.value == orders }
        try #require(invoicedAll, "Billing invoiced \(billing.invoiced.value) of \(orders) orders")
        let lingering = try await admin.listOffsets([TopicPartition(topic: "invoices", partition: 0): .latest])
        #expect(lingering.values.first.flatMap { try? $0.get().offset } == 0, "the invoices still linger before the shutdown")

        await billing.group.triggerGracefulShutdown()
        try await running.value  // every run() returned, none threw

        // The producer flushed: every invoice is in the log.
        let written = try await admin.listOffsets([TopicPartition(topic: "invoices", partition: 0): .latest])
        #expect(written.values.first.flatMap { try? $0.get().offset } == Int64(orders))
        // The consumer committed what Billing read, and left the group.
        let committed = try await admin.listConsumerGroupOffsets(group: "billing")
        #expect(committed == [TopicPartition(topic: "orders", partition: 0): Int64(orders / 2),
                              TopicPartition(topic: "orders", partition: 1): Int64(orders / 2)])
        let described = try await admin.describeConsumerGroups(["billing"])
        let group = try #require(try described["billing"]?.get())
        #expect(group.members.isEmpty, "members left: \(group.members.map(\.memberId))")
        #expect(throws: KafkaError.self) { try billing.producer.send(KafkaProducerRecord(topic: "invoices", value: "late")) }
        await admin.close()
    }

    @Test("fake cluster: graceful shutdown flushes the producer, commits and leaves the group, and every run() returns")
    func gracefulShutdownOnFakeCluster() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try await Self.gracefulShutdown(servers: cluster.bootstrapServers)
    }

    @Test("kfake: graceful shutdown flushes the producer, commits and leaves the group, and every run() returns",
          .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment))
    func gracefulShutdownOnKfake() async throws {
        let kfake = try KfakeCluster.start(brokers: 1)
        defer { kfake.stop() }
        try await Self.gracefulShutdown(servers: kfake.bootstrapServers)
    }
}
