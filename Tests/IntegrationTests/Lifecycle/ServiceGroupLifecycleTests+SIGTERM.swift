import Foundation
import KafkaClient
import KafkaTestSupport
import Testing

/// The README's group stopped the way a container runtime stops it: a real SIGTERM.
///
/// The signal goes to this test process itself rather than to a child running the
/// example: a child would need its own executable, and the point is the very
/// `BillingServiceGroup` the other tests run. Three things keep the signal from
/// doing harm. It is sent only after the group has invoiced every order, so its
/// `UnixSignalsSequence` (registered before any service starts) is listening;
/// `requireSIGTERMIsHandled()` checks that this process no longer has the default
/// (fatal) action for it; and the suite is `.serialized`, and Billing is the only
/// ServiceGroup in the test targets that traps SIGTERM, so no other group receives
/// the signal and shuts down early. On Linux, libdispatch's handler has SA_RESTART
/// (other tests' blocking socket calls resume rather than fail with EINTR) and stays
/// installed after the group's signal source is cancelled, so a late signal is
/// harmless too.
extension ServiceGroupLifecycleTests {
    @Test("SIGTERM on the test broker: the producer flushes, the consumer commits and leaves, run() returns")
    func sigtermOnTestBroker() async throws {
        let servers = ["\(try TestBroker.bootstrap())"]
        let names = BillingServiceGroup.Names(orders: TestBroker.uniqueTopicName("orders"),
                                              invoices: TestBroker.uniqueTopicName("invoices"),
                                              group: TestBroker.uniqueTopicName("billing"))
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: servers))
        _ = try await admin.createTopics([NewTopic(name: names.orders, partitions: 2, replicationFactor: 1),
                                          NewTopic(name: names.invoices, partitions: 1, replicationFactor: 1)])
        let filler = try KafkaProducer(configuration: .init(bootstrapServers: servers))
        for index in 0..<Self.orders {
            _ = try await filler.sendAndWait(KafkaProducerRecord(topic: names.orders, partition: Int32(index % 2), key: "\(index)", value: "order \(index)"))
        }
        await filler.close()

        // A 60 s linger holds the invoices until the shutdown's flush. The 20 s session
        // means a member that did not leave would hold up its successor's assignment
        // for up to 20 s (Tansu also holds a group's first join for half of it).
        let billing = try BillingServiceGroup(servers: servers, names: names, linger: .seconds(60)) {
            $0.sessionTimeout = .seconds(20)
            $0.rebalanceTimeout = .seconds(20)
            $0.heartbeatInterval = .milliseconds(300)
            $0.fetchMaxWait = .milliseconds(100)
        }
        let running = Task { try await billing.group.run() }
        let invoicedAll = try await ConsumerGroupTests.waitUntil(.seconds(60)) { billing.invoiced.value == Self.orders }
        try #require(invoicedAll, "Billing invoiced \(billing.invoiced.value) of \(Self.orders) orders")

        try Self.requireSIGTERMIsHandled()
        #expect(kill(getpid(), SIGTERM) == 0)
        try await running.value  // every run() returned, none threw

        // The producer flushed: every invoice is in the log (read back rather than
        // taken from the high watermark, which Tansu reports per batch).
        let reader = try KafkaConsumerTests.consumer()
        reader.assign([TopicPartition(topic: names.invoices, partition: 0): .earliest])
        let invoices = try await KafkaConsumerTests.read(Self.orders, from: reader)
        #expect(Set(invoices.compactMap(\.key).map { String(decoding: $0, as: UTF8.self) }) == Set((0..<Self.orders).map { "\($0)" }))
        await reader.close()
        #expect(throws: KafkaError.self) { try billing.producer.send(KafkaProducerRecord(topic: names.invoices, value: "late")) }

        // The consumer committed what Billing read.
        let committed = try await admin.listConsumerGroupOffsets(group: names.group)
        #expect(committed == [TopicPartition(topic: names.orders, partition: 0): Int64(Self.orders / 2),
                              TopicPartition(topic: names.orders, partition: 1): Int64(Self.orders / 2)])

        // The consumer left: where the broker reports members (Tansu reports none, left
        // or not) the group has none, and everywhere a successor gets both partitions
        // well before the departed member's 20 s session could have expired.
        if TestBroker.kind != .tansu {
            let group = try #require(try await admin.describeConsumerGroups([names.group])[names.group]?.get())
            #expect(group.members.isEmpty, "members left: \(group.members.map(\.memberId))")
        }
        let successor = try ConsumerGroupTests.member(group: names.group)
        try successor.subscribe(topics: [names.orders])
        let collector = ConsumerGroupTests.Collector()
        let reading = collector.run(successor)
        let joining = ContinuousClock.now
        let tookOver = try await ConsumerGroupTests.waitUntil(.seconds(30)) { successor.assignment.count == 2 }
        let took = ContinuousClock.now - joining
        #expect(tookOver && took < .seconds(12), "the successor got \(successor.assignment.count) partitions after \(took)")
        await successor.close()
        await reading.value
        #expect(collector.count == 0, "the successor started at the committed offsets")
        await admin.close()
    }

    /// Fails unless SIGTERM has a handler in this process: with the default action the
    /// signal would end the whole test run instead of the group.
    static func requireSIGTERMIsHandled() throws {
        var current = sigaction()
        try #require(sigaction(SIGTERM, nil, &current) == 0)
        #if canImport(Glibc) || canImport(Musl)
        let handler = current.__sigaction_handler.sa_handler
        #else
        let handler = current.__sigaction_u.__sa_handler
        #endif
        try #require(handler != nil, "SIGTERM still has its default action: the group's signal handler is not installed")
    }
}
