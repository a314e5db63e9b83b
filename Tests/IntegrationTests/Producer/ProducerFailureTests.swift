import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Logging
import Testing

@Suite("KafkaProducer under failures")
struct ProducerFailureTests {
    /// Collects one report per record id until `count` have arrived.
    static func collect(_ events: KafkaProducerEvents, count: Int) async -> (reports: [KafkaProducerMessageID: KafkaDeliveryReport], duplicates: Int) {
        var seen: [KafkaProducerMessageID: KafkaDeliveryReport] = [:]
        var duplicates = 0
        for await event in events {
            guard case .deliveryReports(let reports) = event else { continue }
            for report in reports where seen.updateValue(report, forKey: report.id) != nil { duplicates += 1 }
            if seen.count >= count { break }
        }
        return (seen, duplicates)
    }

    static func sequenceValue(_ index: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt64(index).bigEndian) { Array($0) }
    }

    @Test("connections cut mid-flight: every record delivered exactly once, in order per partition")
    func connectionsCutMidFlight() async throws {
        let reserved = try LocalTCPListener(backlog: 128)
        let broker = try TestBroker.startDedicated(advertisedPort: reserved.port)
        defer { TestBroker.stopDedicated(port: broker.port) }
        let proxy = ChaosProxy(listener: reserved, upstreamPort: broker.port)
        defer { proxy.stop() }

        let topic = TestBroker.uniqueTopicName("cut")
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["127.0.0.1:\(proxy.port)"])
        configuration.retryBackoff = .milliseconds(20)
        configuration.retryBackoffMax = .milliseconds(200)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        configuration.batchSize = 4096
        let (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: configuration)
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, value: "warm-up"))

        let total = 30_000
        let cutter = Task {
            for _ in 0..<6 {
                try? await Task.sleep(for: .milliseconds(120))
                proxy.cutAll()
            }
        }
        for index in 0..<total {
            let record = KafkaProducerRecord(topic: topic, partition: 0, value: Self.sequenceValue(index))
            _ = try await KafkaProducerTests.send(record, with: producer)
            if index % 2000 == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        await cutter.value
        // The warm-up record's report comes first.
        let (reports, duplicates) = await Self.collect(events, count: total + 1)
        #expect(duplicates == 0)
        #expect(reports.count == total + 1)
        let failed = reports.values.filter { !$0.isSuccess }
        #expect(failed.isEmpty, "\(failed.prefix(3))")
        #expect(proxy.acceptedCount > 1, "the cuts forced reconnects")

        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: ["127.0.0.1:\(proxy.port)"]))
        let stored = try await PartitionReader.readAll(topic: topic, partition: 0, cluster: cluster)
        let values = stored.dropFirst().compactMap { record in
            record.value.map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        }
        #expect(values.count == total, "stored \(values.count) of \(total)")
        #expect(values == (0..<UInt64(total)).map { $0 }, "in order, no gaps, no duplicates")
        await cluster.close()
        await producer.close()
    }

    @Test("the broker down while sending: records wait, then are delivered once it is back (under a new producer epoch)")
    func brokerStoppedAndStarted() async throws {
        let broker = try TestBroker.startDedicated()
        defer { TestBroker.stopDedicated(port: broker.port) }
        let topic = TestBroker.uniqueTopicName("restart")
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["\(broker.host):\(broker.port)"])
        configuration.retryBackoff = .milliseconds(20)
        configuration.retryBackoffMax = .milliseconds(200)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(20), maximum: .milliseconds(200))
        configuration.deliveryTimeout = .seconds(20)
        var logger = Logger(label: "test", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_DEBUG"] != nil ? Logger.Level.debug : Logger.Level.error
        let (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: configuration, logger: logger)
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, value: "before"))

        TestBroker.stopDedicated(port: broker.port)
        for index in 0..<500 {
            try producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: Self.sequenceValue(index)))
        }
        try await Task.sleep(for: .milliseconds(500))
        // Tansu keeps data in memory: the restarted broker is empty and knows no producer ids.
        _ = try TestBroker.startDedicated(port: broker.port)
        let (reports, duplicates) = await Self.collect(events, count: 501)
        #expect(duplicates == 0)
        #expect(reports.count == 501)
        let failures = reports.values.filter { !$0.isSuccess }
        #expect(failures.count == 0, "e.g. \(failures.first?.error.map { "\($0)" } ?? "")")
        await producer.close()
    }
}
