import KafkaWire
import Testing
@testable import KafkaClient

/// Leaving a `for await` loop must not lose what was fetched (issue: a new
/// iterator dropped the rest of the chunk the old one was in, so those records
/// were skipped until a restart fetched them again).
@Suite("Consumer: a loop left with break keeps the fetched records")
struct LoopBreakTests {
    static let orders = TopicPartition(topic: "orders", partition: 0)

    static func state() -> ConsumerState {
        let shared = ConsumerState(maxPrefetchBytes: 1 << 20)
        shared.state.withLock { state in
            var partition = ConsumerPartitionState()
            partition.generation = 1
            partition.position = 0
            state.partitions[orders] = partition
        }
        return shared
    }

    @Test("a second loop starts after the last record of the first, then reads the next chunk")
    func secondLoopGoesOn() async throws {
        let shared = Self.state()
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 0, count: 5))
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 5, count: 2))
        let messages = KafkaConsumerMessages(shared: shared)
        var read: [Int64] = []
        for try await message in messages {
            read.append(message.offset)
            if message.offset == 1 { break }
        }
        #expect(shared.finishedPosition(Self.orders)?.offset == 1, "the loop may have ended while offset 1 was processed")
        #expect(shared.position(Self.orders) == 2)
        for try await message in messages {
            read.append(message.offset)
            if message.offset == 6 { break }
        }
        #expect(read == Array(0..<7))
    }

    @Test("a loop left before its first record, and one left at the end of a chunk, skip nothing")
    func edges() async throws {
        let shared = Self.state()
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 0, count: 3))
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 3, count: 1))
        let messages = KafkaConsumerMessages(shared: shared)
        var read: [Int64] = []
        for try await message in messages {
            read.append(message.offset)
            if message.offset == 2 { break }  // the last record of the first chunk
        }
        var iterator = messages.makeAsyncIterator()
        read.append(try #require(try await iterator.next()).offset)
        #expect(read == [0, 1, 2, 3])
        #expect(shared.finishedPosition(Self.orders)?.offset == 3)
    }

    @Test("after a seek the old chunk is not resumed")
    func seekDropsTheRest() async throws {
        let shared = Self.state()
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 0, count: 5))
        var first = KafkaConsumerMessages(shared: shared).makeAsyncIterator()
        #expect(try await first.next()?.offset == 0)
        // A seek moves the partition to a new generation and stops the chunk in hand.
        shared.state.withLock { state in
            state.partitions[Self.orders]?.generation = 2
            state.partitions[Self.orders]?.position = 100
            shared.invalidateCurrentChunk(ifIn: [Self.orders])
        }
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 2, from: 100, count: 1))
        var second = KafkaConsumerMessages(shared: shared).makeAsyncIterator()
        #expect(try await second.next()?.offset == 100)
    }
}
