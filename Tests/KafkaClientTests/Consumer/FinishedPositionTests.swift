import KafkaWire
import Testing
@testable import KafkaClient

/// What auto-commit may commit (issue: a record still being processed was committed,
/// so a crash lost it). Driven through the real iterator over delivered chunks, with no
/// broker and no second task.
@Suite("Consumer: the finished position never passes the record in the application's hand")
struct FinishedPositionTests {
    static func chunk(_ key: TopicPartition, generation: UInt64, from offset: Int64, count: Int) throws -> FetchedChunk {
        let batches = try RecordBatchDecoder.decodeAll(
            try FetchedRecordFilterTests.data(producerId: 1, baseOffset: offset, count: count, transactional: false))
        let (selections, next) = FetchedRecordFilter.select(batches, from: offset, isolation: .readUncommitted, abortedTransactions: [])
        return FetchedChunk(topicPartition: key, generation: generation, selections: selections, bytes: 64, nextOffset: next)
    }

    @Test("in hand: position is after the record, the finished position before it; asking for the next finishes it")
    func inHand() async throws {
        let shared = ConsumerState(maxPrefetchBytes: 1 << 20)
        let orders = TopicPartition(topic: "orders", partition: 0), audit = TopicPartition(topic: "audit", partition: 0)
        shared.state.withLock { state in
            for (key, generation) in [(orders, UInt64(1)), (audit, 2)] {
                var partition = ConsumerPartitionState()
                partition.generation = generation
                partition.position = 0
                state.partitions[key] = partition
            }
        }
        shared.deliver(try Self.chunk(orders, generation: 1, from: 0, count: 3))
        shared.deliver(try Self.chunk(audit, generation: 2, from: 0, count: 1))
        var iterator = KafkaConsumerMessages(shared: shared).makeAsyncIterator()

        #expect(try await iterator.next()?.offset == 0)
        #expect(shared.position(orders) == 1, "the Java client's position: after what was returned")
        #expect(shared.finishedPosition(orders)?.offset == 0, "record 0 is still being processed")
        #expect(try await iterator.next()?.offset == 1)
        #expect(shared.finishedPosition(orders)?.offset == 1)
        #expect(try await iterator.next()?.offset == 2)
        #expect(shared.finishedPosition(orders)?.offset == 2)

        // Asking for more moves on to the next chunk: the whole first chunk is finished.
        let next = try await iterator.next()
        #expect(next?.topic == "audit" && next?.offset == 0)
        #expect(shared.finishedPosition(orders)?.offset == 3)
        #expect(shared.finishedPosition(audit)?.offset == 0)
        #expect(shared.position(audit) == 1)
    }
}
