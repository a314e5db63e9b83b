import KafkaClient
import KafkaTestSupport
import Synchronization
import Testing

/// A consumer group while every connection (coordinator and leaders alike) is cut
/// again and again: members find the coordinator anew, rejoin, and carry on.
@Suite("Consumer groups under connection cuts")
struct ConsumerGroupFailoverTests {
    typealias Groups = ConsumerGroupTests

    @Test("three members through a proxy that cuts every connection every 400 ms: every record read, commits never go backwards")
    func cutsDuringGroupConsumption() async throws {
        let reserved = try LocalTCPListener(backlog: 128)
        let broker = try TestBroker.startDedicated(advertisedPort: reserved.port)
        defer { TestBroker.stopDedicated(port: broker.port) }
        let proxy = CuttingProxy(listener: reserved, upstreamPort: broker.port)
        defer { proxy.stop() }
        let bootstrap = "127.0.0.1:\(proxy.port)"

        let topic = TestBroker.uniqueTopicName("group-cut")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 6, bootstrap: bootstrap)
        var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: [bootstrap])
        producerConfiguration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        let producer = try KafkaProducer(configuration: producerConfiguration)

        for partition in 0..<Int32(6) {
            for index in 0..<100 { try producer.send(KafkaProducerRecord(topic: topic, partition: partition, key: nil, value: "\(index)")) }
        }
        // Every record is in before the group starts.
        await producer.flush()
        await producer.close()

        func member() throws -> KafkaConsumer {
            var configuration = KafkaConsumer.Configuration(bootstrapServers: [bootstrap])
            configuration.groupId = group
            configuration.autoOffsetReset = .earliest
            configuration.sessionTimeout = .seconds(6)
            configuration.rebalanceTimeout = .seconds(10)
            configuration.heartbeatInterval = .milliseconds(500)
            configuration.autoCommitInterval = .milliseconds(300)
            configuration.fetchMaxWait = .milliseconds(100)
            configuration.maxPartitionFetchBytes = 2_000  // small fetches, so reading spans the cuts
            configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
            return try KafkaConsumer(configuration: configuration)
        }
        let members = try (0..<3).map { _ in try member() }
        let collectors = members.map { _ in Groups.Collector() }
        let readers = zip(members, collectors).map { $1.run($0) }
        for consumer in members { try consumer.subscribe(topics: [topic]) }

        // Samples the group's committed offsets while the cuts go on.
        let observer = try member()
        let partitions = (0..<Int32(6)).map { TopicPartition(topic: topic, partition: $0) }
        let samples = Mutex<[[TopicPartition: Int64]]>([])
        let sampling = Task {
            while !Task.isCancelled {
                if let committed = try? await observer.committed(partitions) { samples.withLock { $0.append(committed) } }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        let cutter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(400))
                proxy.cutAll()
            }
        }
        try await Task.sleep(for: .seconds(8))
        cutter.cancel()
        let complete = try await Groups.waitUntil(.seconds(40)) { collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }.count == 600 }
        let positions = members.map { consumer in consumer.assignment.map { "\($0.partition)@\(consumer.position($0) ?? -1)" } }
        let errors = members.map { $0.takeErrors().suffix(3).map { "\($0)" } }
        #expect(complete, "assignments: \(positions); errors: \(errors)")
        for consumer in members { await consumer.close() }
        for reader in readers { await reader.value }
        sampling.cancel()
        await sampling.value
        let final = try await observer.committed(partitions)
        await observer.close()

        let distinct = collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        let total = collectors.map(\.count).reduce(0, +)
        let history = samples.withLock { $0 }
        print("group under cuts: \(distinct.count) distinct records, \(total - distinct.count) read again after a failed commit; "
              + "\(proxy.acceptedCount) connections; \(history.count) offset samples")
        #expect(distinct.count == 600)
        #expect(partitions.allSatisfy { final[$0] == 100 }, "final commits: \(final)")
        for partition in partitions {
            let series = (history + [final]).compactMap { $0[partition] }
            #expect(zip(series, series.dropFirst()).allSatisfy { $0 <= $1 }, "\(partition) went backwards: \(series)")
        }
        #expect(proxy.acceptedCount > 10)
    }
}
