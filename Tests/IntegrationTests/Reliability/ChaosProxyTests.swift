import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// The chaos proxy's faults against a real client and broker: each fault happens,
/// and the client comes through them without losing or repeating records.
@Suite("Chaos proxy with a real client")
struct ChaosProxyTests {
    @Test("on every connection a delayed response, a stalled request and a response truncated mid-frame: the producer reconnects, every record lands once, in order")
    func scheduledFaults() async throws {
        let reserved = try LocalTCPListener(backlog: 128)
        let broker = try TestBroker.startDedicated(advertisedPort: reserved.port)
        defer { TestBroker.stopDedicated(port: broker.port) }
        let proxy = ChaosProxy(listener: reserved, upstreamPort: broker.port, plan: .scheduled([
            .init(direction: .toClient, chunk: 1, action: .delay(.milliseconds(50))),
            .init(direction: .toBroker, chunk: 2, action: .stall(.milliseconds(200))),
            .init(direction: .toClient, chunk: 4, action: .truncate(keeping: 9)),
        ]))
        defer { proxy.stop() }
        let bootstrap = "127.0.0.1:\(proxy.port)"
        let topic = TestBroker.uniqueTopicName("chaos-scheduled")

        var configuration = KafkaProducer.Configuration(bootstrapServers: [bootstrap])
        configuration.retryBackoff = .milliseconds(10)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(5), maximum: .milliseconds(50))
        let producer = try KafkaProducer(configuration: configuration)
        let total = 40
        var offsets: [Int64] = []
        for index in 0..<total {
            let report = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, value: ProducerFailureTests.sequenceValue(index)))
            #expect(report.isSuccess, "\(report)")
            offsets.append(report.offset ?? -1)
        }
        await producer.close()
        let log = proxy.log
        print("scheduled chaos: \(log)")
        // A record whose response was truncated is resent; the broker may acknowledge the
        // resend as a duplicate without its offset (-1).
        #expect(zip(offsets, 0..<Int64(total)).allSatisfy { $0 == $1 || $0 == -1 }, "\(offsets)")
        #expect(log.truncations >= 5 && log.stalls >= 5 && log.delays >= 5, "\(log)")
        #expect(log.connections > 5, "truncations forced reconnects")

        proxy.replacePlan(with: .passThrough)
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: [bootstrap]))
        let stored = try await PartitionReader.readAll(topic: topic, partition: 0, cluster: cluster)
        await cluster.close()
        #expect(stored.map { $0.value.map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } } == (0..<UInt64(total)).map { $0 })
    }
}
