import KafkaWire
import Testing
@testable import KafkaClient

/// With linger.ms=0 and the in-flight limit reached, records that keep coming join
/// one open batch, which is sealed when the batch ahead of it goes (as Java closes a
/// batch only when it drains it), instead of one sealed batch per drain, each of a
/// record or two, queued behind each other (the producer then fell ever further
/// behind at 10,000 records a second on Tansu).
@Suite("Producer: open batch under backpressure")
struct OpenBatchBackpressureTests {
    @Test("behind a waiting batch, records join one open batch, sealed when the batch ahead goes")
    func recordsJoinOneOpenBatch() throws {
        let accumulator = AccumulatorTestSupport.accumulator(idempotent: false, linger: .zero)
        let partition = TopicPartition(topic: "t", partition: 0)
        // The first record goes at once and takes the broker's one in-flight slot.
        try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: 1)
        let first = accumulator.drain(now: .now, maxInFlightPerBroker: 1) { _ in 1 }.requests[1] ?? []
        #expect(first.map(\.recordCount) == [1])
        // Meanwhile records keep coming, with a drain (a wakeup) after each one.
        for _ in 0..<10 {
            try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: 1)
            let drained = accumulator.drain(now: .now, maxInFlightPerBroker: 1) { _ in 1 }
            #expect(drained.requests.isEmpty)
        }
        let waiting = accumulator.state.withLock { state in
            state.table.queue(partition).map { ($0.sealed.map(\.recordCount), $0.openRecords) }
        }
        // One batch waits with the first record after the one in flight; the nine others share the open batch.
        #expect(waiting?.0 == [1])
        #expect(waiting?.1 == 9)

        // The response frees the slot: the waiting batch goes, the open one is sealed
        // behind it and the sender is told to look again at once.
        accumulator.requestFinished(broker: 1)
        let now = ContinuousClock.now
        let second = accumulator.drain(now: now, maxInFlightPerBroker: 1) { _ in 1 }
        #expect((second.requests[1] ?? []).map(\.recordCount) == [1])
        #expect(second.nextWake == now)
        accumulator.requestFinished(broker: 1)
        let third = accumulator.drain(now: .now, maxInFlightPerBroker: 1) { _ in 1 }.requests[1] ?? []
        #expect(third.map(\.recordCount) == [9])
    }
}
