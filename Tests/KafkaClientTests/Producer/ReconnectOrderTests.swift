import KafkaWire
import Testing
@testable import KafkaClient

/// Batches of one partition stay in sequence order across a reconnect, and a batch
/// whose sequence the broker has acknowledged past is known to be in the log.
@Suite("Producer: sequence order across a reconnect")
struct ReconnectOrderTests {
    static let partition = TopicPartition(topic: "t", partition: 0)

    /// `count` one-record batches of partition 0, each drained in its own request.
    static func drainOneByOne(_ accumulator: RecordAccumulator, count: Int) throws -> [ProducerBatch] {
        try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: count, valueSize: 60)
        var drained: [ProducerBatch] = []
        for _ in 0..<count {
            drained += AccumulatorTestSupport.drain(accumulator).requests[1] ?? []
        }
        return drained
    }

    static func report(_ index: Int) -> KafkaDeliveryReport {
        KafkaDeliveryReport(id: KafkaProducerMessageID(rawValue: 0), topic: "t", partition: 0, offset: nil, timestamp: 0, error: nil)
    }

    @Test("a new connection to a broker waits until every request of the previous one is settled")
    func handoverWaitsForPreviousConnection() {
        final class Connection {}
        let handover = ConnectionHandover()
        let old = Connection(), new = Connection()
        #expect(handover.begin(broker: 1, on: old))
        #expect(handover.begin(broker: 1, on: old))
        // The old connection closed with two requests whose failures are not handled yet.
        #expect(!handover.begin(broker: 1, on: new))
        #expect(handover.begin(broker: 2, on: new), "other brokers are not held back")
        handover.finished(broker: 1, on: old)
        #expect(!handover.begin(broker: 1, on: new))
        handover.finished(broker: 1, on: old)
        #expect(handover.begin(broker: 1, on: new))
        // A late answer of the old connection changes nothing for the new one.
        handover.finished(broker: 1, on: old)
        #expect(handover.begin(broker: 1, on: new))
    }

    @Test("a batch put back because its request did not go out returns to its place, keeping its sequence")
    func putBackKeepsOrder() throws {
        let accumulator = AccumulatorTestSupport.accumulator(batchSize: 100)
        accumulator.installIdentity(producerId: 7, epoch: 0)
        let drained = try Self.drainOneByOne(accumulator, count: 3)
        #expect(drained.map(\.baseSequence) == [0, 1, 2])
        var random = SplitMix.seeded()
        // The first two failed with their connection; the third was held at the new one.
        accumulator.putBack([drained[2]])
        accumulator.retry(drained[1], now: .now - .seconds(1), bumpEpoch: false, random: &random)
        accumulator.retry(drained[0], now: .now - .seconds(1), bumpEpoch: false, random: &random)
        let queue = try #require(accumulator.state.withLock { $0.table.queue(Self.partition) })
        #expect(queue.sealed.map(\.baseSequence) == [0, 1, 2])
        #expect(queue.inFlight == 0)
        #expect(queue.sealed.map(\.attempts) == [1, 1, 0], "a put-back batch was never sent")
    }

    @Test("a retried batch the broker acknowledged past goes back before the later ones, so its retry is answered as a duplicate")
    func acknowledgedPastBatchGoesFirst() throws {
        let accumulator = AccumulatorTestSupport.accumulator(batchSize: 100)
        accumulator.installIdentity(producerId: 7, epoch: 0)
        let drained = try Self.drainOneByOne(accumulator, count: 3)
        var random = SplitMix.seeded()
        // Batch 0 was written but its answer lost (a cut, or an error answered for its retry);
        // batch 1 after it was acknowledged; batch 2's connection was cut too.
        _ = accumulator.acknowledged(drained[1], report: Self.report)
        accumulator.retry(drained[2], now: .now, bumpEpoch: false, random: &random)
        accumulator.retry(drained[0], now: .now, bumpEpoch: false, random: &random)
        let queue = try #require(accumulator.state.withLock { $0.table.queue(Self.partition) })
        #expect(queue.sealed.map(\.baseSequence) == [0, 2])
    }

    @Test("acknowledgements arriving out of order never move the last acknowledged sequence back")
    func lastAckedOnlyMovesForward() throws {
        let accumulator = AccumulatorTestSupport.accumulator(batchSize: 100)
        accumulator.installIdentity(producerId: 7, epoch: 0)
        let drained = try Self.drainOneByOne(accumulator, count: 3)
        _ = accumulator.acknowledged(drained[2], report: Self.report)
        _ = accumulator.acknowledged(drained[0], report: Self.report)
        #expect(accumulator.state.withLock { $0.table.queue(Self.partition)?.lastAckedSequence } == 2)
    }

    @Test("a batch is known written once a later sequence of its epoch was acknowledged, not before, not across epochs")
    func acknowledgedPast() throws {
        let accumulator = AccumulatorTestSupport.accumulator(batchSize: 100)
        accumulator.installIdentity(producerId: 7, epoch: 0)
        let drained = try Self.drainOneByOne(accumulator, count: 3)
        #expect(!accumulator.isAcknowledgedPast(drained[0]), "nothing acknowledged yet")
        _ = accumulator.acknowledged(drained[1], report: Self.report)
        #expect(accumulator.isAcknowledgedPast(drained[0]))
        #expect(!accumulator.isAcknowledgedPast(drained[2]), "sequence 2 is after the last acknowledged one")
        // A new epoch: sequences start over, so the old batch's number says nothing.
        accumulator.installIdentity(producerId: 7, epoch: 1)
        #expect(!accumulator.isAcknowledgedPast(drained[0]))
    }
}
