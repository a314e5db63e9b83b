import KafkaWire
import Testing
@testable import KafkaClient

/// `pause` belongs to the application and only `resume` undoes it; a seek moves the
/// position and nothing else (issue: seek resumed a paused partition). A partition the
/// consumer holds for want of a position is released by a seek, not by resume.
@Suite("Consumer: seek, pause and held partitions")
struct SeekPauseTests {
    static let key = TopicPartition(topic: "orders", partition: 0)

    static func partition(_ consumer: KafkaConsumer) -> ConsumerPartitionState? {
        consumer.shared.state.withLock { $0.partitions[key] }
    }

    @Test("seek keeps a paused partition paused; resume resumes it")
    func seekKeepsPause() async throws {
        let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: ["127.0.0.1:9"]))
        consumer.assign([Self.key: .offset(5)])
        consumer.pause([Self.key])
        try consumer.seek(Self.key, to: .offset(10))
        #expect(Self.partition(consumer)?.isPaused == true)
        #expect(Self.partition(consumer)?.fetchOffset == 10)
        consumer.resume([Self.key])
        #expect(Self.partition(consumer)?.isPaused == false)
        await consumer.close()
    }

    @Test("a partition held without a position stays held through resume and is released by seek, which leaves pause alone")
    func heldUntilSeek() async throws {
        let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: ["127.0.0.1:9"]))
        consumer.assign([Self.key: .offset(5)])
        consumer.holdWithoutPosition([Self.key])
        consumer.resume([Self.key])
        #expect(Self.partition(consumer)?.awaitsSeek == true, "resume is no way out of having no position")
        consumer.pause([Self.key])
        try consumer.seek(Self.key, to: .earliest)
        #expect(Self.partition(consumer)?.awaitsSeek == false)
        #expect(Self.partition(consumer)?.isPaused == true, "still paused by the application")
        await consumer.close()
    }
}
