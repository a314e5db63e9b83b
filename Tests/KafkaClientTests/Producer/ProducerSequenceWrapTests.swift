import KafkaWire
import KafkaTestSupport
import Testing
@testable import KafkaClient

/// Sequence numbers are 32-bit and wrap from Int32.max to 0, as the broker expects
/// (Java's `DefaultRecordBatch.incrementSequence`): a batch may straddle the wrap,
/// and the next batch starts right after its last record, not back at 0.
@Suite("Producer: sequence numbers wrap")
struct ProducerSequenceWrapTests {
    static let partition = TopicPartition(topic: "t", partition: 0)

    @Test("incrementing past Int32.max continues from 0")
    func increment() {
        #expect(ProducerSequence.increment(0, by: 5) == 5)
        #expect(ProducerSequence.increment(-1, by: 1) == 0)
        #expect(ProducerSequence.increment(Int32.max, by: 1) == 0)
        #expect(ProducerSequence.increment(Int32.max - 1, by: 5) == 3)
        #expect(ProducerSequence.increment(Int32.max - 4, by: 5) == 0)
        #expect(ProducerSequence.increment(Int32.max - 5, by: 5) == Int32.max)
    }

    @Test("a batch that straddles the wrap is followed by the sequence after its last record")
    func batchStraddlesWrap() throws {
        let accumulator = AccumulatorTestSupport.accumulator()
        accumulator.installIdentity(producerId: 7, epoch: 0)
        Self.startNear(wrap: accumulator)

        try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: 5)
        let first = try #require(AccumulatorTestSupport.drain(accumulator).requests[1]?.first)
        #expect(first.baseSequence == Int32.max - 1)
        accumulator.requestFinished(broker: 1)
        _ = accumulator.acknowledged(first) { _ in Self.report() }

        try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: 2)
        let second = try #require(AccumulatorTestSupport.drain(accumulator).requests[1]?.first)
        // Int32.max - 1, Int32.max, 0, 1, 2 went in the first batch.
        #expect(second.baseSequence == 3)
        // The acknowledged batch ended at 2, so the second one is next in line.
        let awaitsEarlier = accumulator.isAwaitingEarlierBatch(second)
        #expect(!awaitsEarlier)
        #expect(accumulator.state.withLock { $0.table.queue(Self.partition)?.lastAckedSequence } == 2)
    }

    /// As if every sequence up to Int32.max - 2 had been sent and acknowledged.
    static func startNear(wrap accumulator: RecordAccumulator) {
        accumulator.state.withLock { state in
            state.table.withQueue(partition) { queue in
                queue.nextSequence = Int32.max - 1
                queue.lastAckedSequence = Int32.max - 2
            }
        }
    }

    static func report() -> KafkaDeliveryReport {
        KafkaDeliveryReport(id: KafkaProducerMessageID(rawValue: 0), topic: "t", partition: 0, offset: nil, timestamp: 0, error: nil)
    }
}

extension ProducerSequenceWrapTests {
    @Test("batches retried across the wrap go back in sequence order")
    func retryOrderAcrossWrap() throws {
        let accumulator = AccumulatorTestSupport.accumulator(batchSize: 100)
        accumulator.installIdentity(producerId: 7, epoch: 0)
        Self.startNear(wrap: accumulator)

        // Records of about 80 bytes against batch.size 100: one record per batch.
        try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: 3, valueSize: 60)
        var drained: [ProducerBatch] = []
        for _ in 0..<3 {
            drained += AccumulatorTestSupport.drain(accumulator).requests[1] ?? []
            accumulator.requestFinished(broker: 1)
        }
        #expect(drained.map(\.baseSequence) == [Int32.max - 1, Int32.max, 0])

        // The responses fail the later batches first; each is put back in its place.
        // A generator with state: TSan crashes on the inout access to the empty
        // SystemRandomNumberGenerator (swift_beginAccess on a zero-sized value).
        var random = SeededRandom(seed: 1)
        for batch in drained.reversed() { accumulator.retry(batch, now: .now, bumpEpoch: false, random: &random) }
        let order = accumulator.state.withLock { $0.table.queue(Self.partition)?.sealed.map(\.baseSequence) }
        #expect(order == [Int32.max - 1, Int32.max, 0])
    }
}
