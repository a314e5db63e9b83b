import KafkaWire
import Testing
@testable import KafkaClient

/// A revoke commits what was consumed and the partitions' next owner starts there;
/// any record handed out after that commit is read twice (issue: records kept
/// flowing while the revoke committed and while the rebalance callback ran).
@Suite("Consumer: no record of a revoked partition is handed out after its commit")
struct RevokeDeliveryTests {
    static let orders = TopicPartition(topic: "orders", partition: 0)
    static let audit = TopicPartition(topic: "audit", partition: 0)

    @Test("mid-chunk: the commit stops before the record in hand, and the next records come from other partitions only")
    func stopsMidChunk() async throws {
        let shared = ConsumerState(maxPrefetchBytes: 1 << 20)
        shared.state.withLock { state in
            for (key, generation) in [(Self.orders, UInt64(1)), (Self.audit, 2)] {
                var partition = ConsumerPartitionState()
                partition.generation = generation
                partition.position = 0
                state.partitions[key] = partition
            }
            state.nextGeneration = 3
        }
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 0, count: 5))
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 5, count: 5))
        shared.deliver(try FinishedPositionTests.chunk(Self.audit, generation: 2, from: 0, count: 2))
        var iterator = KafkaConsumerMessages(shared: shared).makeAsyncIterator()
        #expect(try await iterator.next()?.offset == 0)
        #expect(try await iterator.next()?.offset == 1)

        let committed = shared.stopDelivering([Self.orders])
        #expect(committed.mapValues(\.offset) == [Self.orders: 1], "offset 1 is in hand: the next owner reads it again rather than lose it")
        #expect(shared.position(Self.orders) == 1)

        var after: [String] = []
        for _ in 0..<2 {
            let message = try #require(try await iterator.next())
            after.append("\(message.topic)@\(message.offset)")
        }
        #expect(after == ["audit@0", "audit@1"], "orders 2...9 were handed out after their commit")
        #expect(shared.position(Self.orders) == 1, "nothing moved the revoked partition on")
        #expect(shared.state.withLock { $0.partitions[Self.orders]?.isPaused } == true, "the fetcher stops fetching it")
    }

    @Test("between chunks: everything handed out is finished, nothing buffered follows")
    func stopsBetweenChunks() async throws {
        let shared = ConsumerState(maxPrefetchBytes: 1 << 20)
        shared.state.withLock { state in
            var partition = ConsumerPartitionState()
            partition.generation = 1
            partition.position = 0
            state.partitions[Self.orders] = partition
            state.nextGeneration = 2
        }
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 0, count: 2))
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 2, count: 2))
        var iterator = KafkaConsumerMessages(shared: shared).makeAsyncIterator()
        #expect(try await iterator.next()?.offset == 0)
        #expect(try await iterator.next()?.offset == 1)
        #expect(shared.stopDelivering([Self.orders]).mapValues(\.offset) == [Self.orders: 1])
        let waiting = Task { [iterator] in
            var iterator = iterator
            return try await iterator.next()
        }
        try await Task.sleep(for: .milliseconds(50))
        shared.close()
        #expect(try await waiting.value == nil, "the buffered chunk of the revoked partition was handed out")
    }
}
