import KafkaClient
import KafkaTestSupport
import Logging
import ServiceLifecycle
import Testing

@Suite("KafkaProducer as a swift-service-lifecycle Service")
struct ProducerServiceTests {
    @Test("graceful shutdown flushes every buffered record before run() returns")
    func gracefulShutdownFlushes() async throws {
        let topic = TestBroker.uniqueTopicName("service")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration { $0.linger = .seconds(2) })
        let group = ServiceGroup(services: [producer], gracefulShutdownSignals: [], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        for index in 0..<300 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: "s\(index)")) }
        // Well within linger.ms: only the shutdown's flush can send these.
        await group.triggerGracefulShutdown()
        try await running.value
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: ["\(try TestBroker.bootstrap())"]))
        let stored = try await PartitionReader.readAll(topic: topic, partition: 0, cluster: cluster)
        #expect(stored.count == 300)
        await cluster.close()
        #expect(throws: KafkaError.self) { try producer.send(KafkaProducerRecord(topic: topic, value: "after")) }
    }
}
