import KafkaTestSupport
import KafkaWire
import Synchronization
import Testing
@testable import KafkaClient

/// A producer whose cluster never answers: every record still ends, with a typed
/// error, within max.block.ms (capped at delivery.timeout.ms), and flush() returns.
/// Here rather than with the unit tests: the producer's sender runs beside the test,
/// and the thread sanitizer run (unit suites only) reports Synchronization.Mutex falsely.
@Suite("Producer: records end on time when metadata or a producer id never comes", .timeLimit(.minutes(1)))
struct ProducerUnreachableClusterTests {
    static func producer(idempotent: Bool) throws -> KafkaProducer {
        let deadPort = try { try LocalTCPListener().port }()
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["127.0.0.1:\(deadPort)"])
        configuration.enableIdempotence = idempotent
        configuration.maxBlock = .milliseconds(1500)
        configuration.deliveryTimeout = .seconds(30)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(20), maximum: .milliseconds(100))
        return try KafkaProducer(configuration: configuration)
    }

    @Test("a record for a topic whose metadata never arrives fails with unknownTopicOrPartition after max.block.ms",
          arguments: [false, true])
    func metadataNeverArrives(idempotent: Bool) async throws {
        let producer = try Self.producer(idempotent: idempotent)
        let started = ContinuousClock.now
        let outcome = VisibleLock<KafkaDeliveryReport?>(nil)
        try producer.send(KafkaProducerRecord(topic: "nowhere", value: "lost?")) { report in outcome.withLock { $0 = report } }
        await producer.flush()
        let elapsed = started.duration(to: .now)
        let report = try #require(outcome.withLock { $0 }, "flush returned before the record had a report")
        #expect(report.error?.code == .unknownTopicOrPartition, "\(String(describing: report.error))")
        #expect(elapsed >= .milliseconds(1400) && elapsed < .seconds(10), "\(elapsed)")
        await producer.close()
    }

    @Test("the drain takes only records past metadataWait, oldest first, and frees their buffer")
    func drainExpiresWaitingRecords() throws {
        let producer = try Self.producer(idempotent: false)
        let accumulator = producer.accumulator
        _ = try accumulator.append(KafkaProducerRecord(topic: "a", value: "first"))
        let between = ContinuousClock.now
        _ = try accumulator.append(KafkaProducerRecord(topic: "a", value: "second"))
        let wait = accumulator.settings.metadataWait
        let drained = accumulator.drain(now: between.advanced(by: wait), maxInFlightPerBroker: 1) { _ in nil }
        #expect(drained.expiredRecords.map { String(decoding: $0.record.value ?? [], as: UTF8.self) } == ["first"])
        #expect(drained.needsMetadata == ["a"])
        #expect(accumulator.state.withLock { $0.bufferedRecords } <= 1, "the sender may have taken the second meanwhile")
        #expect(accumulator.takeAllUnpartitioned().count <= 1)
        #expect(accumulator.state.withLock { $0.bufferedRecords == 0 && $0.unpartitioned.isEmpty })
    }
}
