import KafkaWire
import Testing
@testable import KafkaClient

/// The consumer's prefetch limit (`maxPrefetchBytes`, librdkafka's
/// `queued.max.messages.kbytes`): fetching pauses once the chunks waiting for the
/// application reach it and resumes once the application has taken enough.
@Suite("Consumer: prefetch bounded by bytes")
struct PrefetchBoundTests {
    static let key = TopicPartition(topic: "orders", partition: 0)

    static func state(limit: Int) -> ConsumerState {
        let shared = ConsumerState(maxPrefetchBytes: limit)
        shared.state.withLock { state in
            var partition = ConsumerPartitionState()
            partition.fetchOffset = 0
            partition.generation = 1
            state.partitions[key] = partition
        }
        return shared
    }

    static func chunk(bytes: Int, generation: UInt64 = 1, next: Int64) -> FetchedChunk {
        FetchedChunk(topicPartition: key, generation: generation, selections: [], bytes: bytes, nextOffset: next)
    }

    @Test("no room once buffered chunks reach the limit; room again once the application takes enough")
    func pausesAndResumes() async throws {
        let shared = Self.state(limit: 1_000)
        #expect(shared.hasRoom)
        shared.deliver(Self.chunk(bytes: 600, next: 10))
        #expect(shared.hasRoom)
        shared.deliver(Self.chunk(bytes: 600, next: 20))
        #expect(!shared.hasRoom, "1,200 bytes buffered against a 1,000-byte limit")
        let first = try await shared.nextChunk()
        #expect(first?.nextOffset == 10)
        #expect(shared.hasRoom, "600 bytes left")
        _ = try await shared.nextChunk()
        #expect(shared.state.withLock { $0.bufferedBytes } == 0)
    }

    @Test("a chunk taken by the application is no longer held by the buffer while later ones wait")
    func takenChunksAreReleased() async throws {
        let shared = Self.state(limit: 1 << 20)
        for index in 1...3 { shared.deliver(Self.chunk(bytes: 100, next: Int64(index * 10))) }
        _ = try await shared.nextChunk()
        _ = try await shared.nextChunk()
        // Before, taken chunks (and every record in them) stayed in the array until 1,024
        // had been taken: with a slow application that was the whole topic.
        #expect(shared.state.withLock { $0.chunks.compactMap { $0 }.map(\.nextOffset) } == [30])
        #expect(shared.state.withLock { $0.bufferedBytes } == 100)
    }

    @Test("stale chunks (from before a seek) are dropped on arrival and release their bytes when skipped")
    func staleChunksReleaseBytes() async throws {
        let shared = Self.state(limit: 1_000)
        shared.deliver(Self.chunk(bytes: 900, next: 10))
        shared.deliver(Self.chunk(bytes: 900, generation: 0, next: 99))
        #expect(shared.state.withLock { $0.bufferedBytes } == 900, "a chunk of an old generation is not buffered")
        shared.deliver(Self.chunk(bytes: 300, next: 20))
        #expect(!shared.hasRoom)
        // A seek makes both buffered chunks stale; the next one delivered is current.
        shared.state.withLock { $0.partitions[Self.key]?.generation = 2 }
        shared.deliver(Self.chunk(bytes: 100, generation: 2, next: 5))
        let next = try await shared.nextChunk()
        #expect(next?.generation == 2 && next?.nextOffset == 5)
        #expect(shared.state.withLock { $0.bufferedBytes } == 0)
        #expect(shared.hasRoom)
    }

    @Test("the fetcher sends nothing while the buffer is full")
    func fetcherHoldsOff() async throws {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: ["127.0.0.1:9"])
        configuration.maxPrefetchBytes = 100
        let shared = Self.state(limit: configuration.maxPrefetchBytes)
        let cluster = try KafkaCluster(configuration: configuration.cluster)
        let fetcher = ConsumerFetcher(configuration: configuration, cluster: cluster, shared: shared, logger: .init(label: "test"))
        fetcher.leaders.withLock { $0[Self.key] = 7 }
        shared.deliver(Self.chunk(bytes: 100, next: 10))
        await fetcher.sendFetches()
        #expect(fetcher.sessions.withLock { $0.isEmpty }, "no fetch was planned")
        _ = try await shared.nextChunk()
        await fetcher.sendFetches()
        #expect(!fetcher.sessions.withLock { $0.isEmpty }, "with room again, a fetch to the leader was planned")
        await cluster.close()
    }
}

@Suite("Consumer: what a fetched chunk counts against the prefetch limit")
struct FetchedChunkSizeTests {
    static func batch(count: Int, codec: CompressionCodec) throws -> RecordBatch {
        var encoder = RecordBatchEncoder()
        for index in 0..<count { encoder.append(key: Array("k\(index)".utf8), value: [UInt8](repeating: 7, count: 100), timestamp: 1) }
        let bytes = try encoder.finish(compression: codec)
        return try #require(try RecordBatchDecoder.decodeAll(bytes).first)
    }

    @Test("response bytes plus each decoded record; compressed batches add their decompressed keys and values")
    func heldBytes() throws {
        let plain = try Self.batch(count: 10, codec: .none)
        #expect(FetchedChunk.heldBytes(wireBytes: 1_500, batches: [plain]) == 1_500 + 10 * MemoryLayout<Record>.stride)
        let compressed = try Self.batch(count: 10, codec: .lz4)
        let payload = (0..<10).map { "k\($0)".utf8.count + 100 }.reduce(0, +)
        #expect(FetchedChunk.heldBytes(wireBytes: 200, batches: [compressed]) == 200 + 10 * MemoryLayout<Record>.stride + payload)
    }
}
