import KafkaClient
import KafkaTestSupport
import Synchronization
import Testing

/// A consumer group while every connection (coordinator and leaders alike) is cut
/// again and again, and, through the chaos proxy, delayed, stalled and truncated:
/// members find the coordinator anew, rejoin, and carry on.
@Suite("Consumer groups under connection cuts")
struct ConsumerGroupFailoverTests {
    typealias Groups = ConsumerGroupTests

    @Test("three members through a proxy that cuts every connection every 400 ms: every record read, commits never go backwards")
    func cutsDuringGroupConsumption() async throws {
        try await Self.consumeThroughChaos(recordsPerPartition: 100, plan: .passThrough, cutEvery: .milliseconds(400), chaosFor: .seconds(8))
    }

    @Test("three slow members, once reading, through cuts every 2 s plus random delays, stalls and truncated responses: every record read, commits never go backwards")
    func chaosDuringGroupConsumption() async throws {
        let odds = ChaosPlan.Odds(truncate: 0.03, stall: 0.02, delay: 0.1,
                                  delays: .milliseconds(1)...(.milliseconds(20)), stalls: .milliseconds(100)...(.milliseconds(800)))
        // The chaos starts once the group reads (a join outlasting the cut interval would
        // never complete), and members take about 15 s for the records, so it spans the reading.
        try await Self.consumeThroughChaos(recordsPerPartition: 2_000, plan: .random(seed: 0x6C0F_0011, odds: odds),
                                           cutEvery: .seconds(2), chaosFor: .seconds(15), onceReading: true, pauseEvery: 3)
    }

    /// Fills six partitions, then reads them with three members through the chaos
    /// (cuts every `cutEvery` and `plan`, for `chaosFor`) while sampling the committed
    /// offsets; checks every record was read and no commit went backwards. With
    /// `onceReading`, the chaos waits for the first record; with `pauseEvery`, members
    /// sleep 10 ms after each that many records.
    static func consumeThroughChaos(recordsPerPartition: Int, plan: ChaosPlan, cutEvery: Duration, chaosFor: Duration,
                                    onceReading: Bool = false, pauseEvery: Int = 0) async throws {
        let reserved = try LocalTCPListener(backlog: 128)
        let broker = try TestBroker.startDedicated(advertisedPort: reserved.port)
        defer { TestBroker.stopDedicated(port: broker.port) }
        let proxy = ChaosProxy(listener: reserved, upstreamPort: broker.port)
        defer { proxy.stop() }
        let bootstrap = "127.0.0.1:\(proxy.port)"
        let total = 6 * recordsPerPartition

        let topic = TestBroker.uniqueTopicName("group-chaos")
        let group = TestBroker.uniqueTopicName("g")
        try await KafkaProducerTests.createTopic(topic, partitions: 6, bootstrap: bootstrap)
        var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: [bootstrap])
        producerConfiguration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        let producer = try KafkaProducer(configuration: producerConfiguration)
        for partition in 0..<Int32(6) {
            for index in 0..<recordsPerPartition {
                _ = try await KafkaProducerTests.send(KafkaProducerRecord(topic: topic, partition: partition, key: nil, value: "\(index)"), with: producer)
            }
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
            configuration.maxPartitionFetchBytes = 2_000  // small fetches, so reading spans the chaos
            configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
            return try KafkaConsumer(configuration: configuration)
        }
        let members = try (0..<3).map { _ in try member() }
        let collectors = members.map { _ in Groups.Collector() }
        let readers = zip(members, collectors).map { $1.run($0, pauseEvery: pauseEvery, pause: .milliseconds(10)) }
        for consumer in members { try consumer.subscribe(topics: [topic]) }
        func distinctRead() -> Int { collectors.reduce(into: Set<String>()) { $0.formUnion($1.keys) }.count }
        if onceReading { #expect(try await Groups.waitUntil(.seconds(30)) { distinctRead() > 0 }) }
        let readBeforeChaos = distinctRead()
        proxy.replacePlan(with: plan)

        // Samples the group's committed offsets while the chaos goes on.
        let observer = try member()
        let partitions = (0..<Int32(6)).map { TopicPartition(topic: topic, partition: $0) }
        let samples = VisibleLock<[[TopicPartition: Int64]]>([])
        let sampling = Task {
            while !Task.isCancelled {
                if let committed = try? await observer.committed(partitions) { samples.withLock { $0.append(committed) } }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        let cutter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: cutEvery)
                if Task.isCancelled { break }
                proxy.cutAll()
            }
        }
        try await Task.sleep(for: chaosFor)
        cutter.cancel()
        await cutter.value
        let chaos = proxy.log
        let readDuringChaos = distinctRead() - readBeforeChaos
        proxy.replacePlan(with: .passThrough)
        let complete = try await Groups.waitUntil(.seconds(60)) { distinctRead() == total }
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
        let expected = Set(partitions.flatMap { partition in (0..<recordsPerPartition).map { "\(partition.partition)@\($0)" } })
        let read = collectors.map(\.count).reduce(0, +)
        let history = samples.withLock { $0 }
        var regressions = 0
        for partition in partitions {
            let series = (history + [final]).compactMap { $0[partition] }
            regressions += zip(series, series.dropFirst()).count { $0 > $1 }
            #expect(zip(series, series.dropFirst()).allSatisfy { $0 <= $1 }, "\(partition) went backwards: \(series)")
        }
        print("group under chaos: \(total) records, \(readBeforeChaos) read before and \(readDuringChaos) during the chaos, \(distinct.count) distinct read in all, \(read - distinct.count) read again after a failed commit; "
              + "\(history.count) offset samples, \(regressions) commits backwards; chaos: \(chaos)")
        #expect(distinct == expected)
        #expect(partitions.allSatisfy { final[$0] == Int64(recordsPerPartition) }, "final commits: \(final)")
        #expect(proxy.acceptedCount > 10)
    }
}
