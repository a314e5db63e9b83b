import KafkaWire
import Testing
@testable import KafkaClient

/// When a broker's request cannot carry a batch of every partition it leads, the
/// next drain starts where the last one stopped (Java's `drainIndex`), so no
/// partition waits behind the others for ever.
@Suite("Producer: drain rotation")
struct DrainRotationTests {
    @Test("with room for one batch per request, every partition is drained over successive drains")
    func everyPartitionGetsItsTurn() throws {
        // A 200-byte record makes a batch of about 280 bytes; max.request.size 400 fits one.
        let accumulator = AccumulatorTestSupport.accumulator(maxRequestSize: 400, idempotent: false)
        var drainedPartitions: [Int32] = []
        for _ in 0..<8 {
            // Every partition always has a batch waiting, as under steady load.
            for partition in Int32(0)..<4 where Self.waiting(accumulator, partition) == 0 {
                try AccumulatorTestSupport.append(accumulator, topic: "t", partition: partition, count: 1, valueSize: 200)
            }
            let batches = AccumulatorTestSupport.drain(accumulator).requests[1] ?? []
            #expect(batches.count == 1)
            drainedPartitions += batches.map(\.topicPartition.partition)
            accumulator.requestFinished(broker: 1)
            for batch in batches { _ = accumulator.acknowledged(batch) { _ in ProducerSequenceWrapTests.report() } }
        }
        #expect(Set(drainedPartitions.prefix(4)) == [0, 1, 2, 3], "drained in turn: \(drainedPartitions)")
        #expect(Set(drainedPartitions.suffix(4)) == [0, 1, 2, 3], "drained in turn: \(drainedPartitions)")
    }

    @Test("each broker keeps its own place in the rotation")
    func rotationPerBroker() throws {
        let accumulator = AccumulatorTestSupport.accumulator(maxRequestSize: 400, idempotent: false)
        var drained: [Int32: [Int32]] = [:]
        for _ in 0..<4 {
            for partition in Int32(0)..<4 where Self.waiting(accumulator, partition) == 0 {
                try AccumulatorTestSupport.append(accumulator, topic: "t", partition: partition, count: 1, valueSize: 200)
            }
            accumulator.requestFlush()
            // Even partitions on broker 1, odd ones on broker 2.
            let requests = accumulator.drain(now: .now, maxInFlightPerBroker: 5) { $0.partition % 2 == 0 ? 1 : 2 }.requests
            for (broker, batches) in requests {
                drained[broker, default: []] += batches.map(\.topicPartition.partition)
                accumulator.requestFinished(broker: broker)
                for batch in batches { _ = accumulator.acknowledged(batch) { _ in ProducerSequenceWrapTests.report() } }
            }
        }
        #expect(Set(drained[1] ?? []) == [0, 2], "broker 1 drained \(drained[1] ?? [])")
        #expect(Set(drained[2] ?? []) == [1, 3], "broker 2 drained \(drained[2] ?? [])")
    }

    static func waiting(_ accumulator: RecordAccumulator, _ partition: Int32) -> Int {
        accumulator.state.withLock { state in
            guard let queue = state.table.queue(TopicPartition(topic: "t", partition: partition)) else { return 0 }
            return queue.sealed.count + queue.openRecords
        }
    }
}
