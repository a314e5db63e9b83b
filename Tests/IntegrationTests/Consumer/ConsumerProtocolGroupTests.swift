import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// KIP-848's `consumer` group protocol. Tansu has no ConsumerGroupHeartbeat, so
/// there the consumer must say so; kfake has it (`scripts/test.sh`'s second pass).
@Suite("KIP-848 consumer group protocol")
struct ConsumerProtocolGroupTests {
    typealias Groups = ConsumerGroupTests

    static func member(group: String) throws -> KafkaConsumer {
        try Groups.member(group: group) {
            $0.groupProtocol = .consumer
            $0.heartbeatInterval = .milliseconds(300)
        }
    }

    static func brokerOffersConsumerProtocol() async throws -> Bool {
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: ["\(try TestBroker.bootstrap())"]))
        defer { Task { await cluster.close() } }
        let versions = try await cluster.anyConnection().apiVersions()
        return (try? versions.version(for: ConsumerGroupHeartbeatRequest.self)) != nil
    }

    @Test("without ConsumerGroupHeartbeat on the broker, subscribing reports a clear error and assigns nothing")
    func unsupportedBroker() async throws {
        guard try await !Self.brokerOffersConsumerProtocol() else {
            print("skipped: this broker offers ConsumerGroupHeartbeat")
            return
        }
        let consumer = try Self.member(group: TestBroker.uniqueTopicName("g"))
        try consumer.subscribe(topics: [TestBroker.uniqueTopicName("t")])
        let log = CooperativeGroupTests.EventLog()
        let logging = log.run(consumer)
        #expect(try await Groups.waitUntil(.seconds(10)) { !log.errors.isEmpty })
        #expect(log.errors.first?.code == .apiNotSupported, "\(log.errors)")
        #expect(consumer.takeErrors().first?.code == .apiNotSupported)
        #expect(consumer.assignment.isEmpty)
        await consumer.close()
        await logging.value
    }

    @Test("two members share four partitions (the mock cluster auto-creates four), broker-assigned; one leaves and the other takes all; every record read once")
    func twoMembers() async throws {
        guard try await Self.brokerOffersConsumerProtocol() else {
            print("skipped: this broker has no ConsumerGroupHeartbeat (KIP-848); scripts/test.sh runs this on kfake")
            return
        }
        let topic = TestBroker.uniqueTopicName("kip848")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 4)
        try await KafkaConsumerTests.produce(topic, partitions: 4, count: 20)
        let consumers = try (0..<2).map { _ in try Self.member(group: group) }
        let collectors = consumers.map { _ in Groups.Collector() }
        let readers = zip(consumers, collectors).map { $1.run($0) }
        for consumer in consumers { try consumer.subscribe(topics: [topic]) }
        #expect(try await Groups.waitUntil(.seconds(30)) { Groups.assignmentsSplit(consumers, partitions: 4) },
                "assignments: \(consumers.map(\.assignment))")
        #expect(try await Groups.waitUntil { collectors.map(\.count).reduce(0, +) == 80 })
        let generation = try consumers[0].groupMetadata()
        #expect(generation.generationId > 0, "commits carry the member epoch")

        await consumers[1].close()
        await readers[1].value
        #expect(try await Groups.waitUntil(.seconds(30)) { consumers[0].assignment.count == 4 })
        try await KafkaConsumerTests.produce(topic, partitions: 4, count: 10)
        #expect(try await Groups.waitUntil { collectors.map(\.count).reduce(0, +) >= 120 })
        try await Task.sleep(for: .milliseconds(500))
        let distinct = collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        #expect(distinct.count == 120)
        #expect(collectors.map(\.count).reduce(0, +) == 120, "no record read twice")
        await consumers[0].close()
        await readers[0].value
    }
}
