import KafkaWire
import Testing
@testable import KafkaClient

/// Fetch responses a real broker cannot be made to send (Tansu never answers
/// OFFSET_OUT_OF_RANGE and never corrupts a batch), fed to the consumer's
/// response handler as encoded frames.
@Suite("Consumer: hostile and unusual Fetch responses")
struct ConsumerFetchResponseTests {
    static let key = TopicPartition(topic: "orders", partition: 0)

    static func fetcher(reset: KafkaAutoOffsetReset = .earliest) throws -> (ConsumerFetcher, ConsumerState) {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: ["127.0.0.1:9"])
        configuration.autoOffsetReset = reset
        let shared = ConsumerState(maxPrefetchBytes: 1 << 20)
        shared.state.withLock { state in
            var partition = ConsumerPartitionState()
            partition.fetchOffset = 0
            partition.generation = 1
            state.partitions[key] = partition
        }
        let cluster = try KafkaCluster(configuration: configuration.cluster)
        return (ConsumerFetcher(configuration: configuration, cluster: cluster, shared: shared, logger: .init(label: "test")), shared)
    }

    static func frame(errorCode: KafkaErrorCode = .noError, records: [UInt8]?, version: Int16 = 12) throws -> ResponseFrame {
        var partition = FetchResponse.FetchableTopicResponse.PartitionData()
        partition.partitionIndex = 0
        partition.errorCode = errorCode.rawValue
        partition.highWatermark = 3
        partition.records = records
        var response = FetchResponse()
        response.responses = [FetchResponse.FetchableTopicResponse(topic: key.topic, partitions: [partition])]
        return ResponseFrame(version: version, bytes: try response.encodeFrame(version: version, correlationId: 1))
    }

    static func batch() throws -> [UInt8] {
        var encoder = RecordBatchEncoder()
        for index in 0..<3 { encoder.append(key: nil, value: Array("v\(index)".utf8), timestamp: 1) }
        return try encoder.finish()
    }

    @Test("a batch with a bad CRC is a typed error; the partition pauses, nothing is delivered, the consumer stays usable")
    func corruptBatch() throws {
        let (fetcher, shared) = try Self.fetcher()
        var bytes = try Self.batch()
        bytes[bytes.count - 1] ^= 0xFF  // flip a payload bit: the CRC32C no longer matches
        fetcher.handle(.success(try Self.frame(records: bytes)), entries: [(Self.key, 0, 1)], broker: 1)
        let (errors, partition, buffered) = shared.state.withLock { ($0.errors, $0.partitions[Self.key], $0.chunks.count) }
        #expect(errors.count == 1)
        #expect(errors.first?.code == .protocolViolation)
        #expect(errors.first?.detail.contains("orders-0 at offset 0") == true)
        #expect(partition?.awaitsSeek == true)
        #expect(partition?.fetchOffset == 0, "the position does not move past a batch that was not delivered")
        #expect(buffered == 0)

        // The same partition's good bytes are delivered once the application seeks (resumes).
        shared.state.withLock { $0.partitions[Self.key]?.awaitsSeek = false }
        fetcher.handle(.success(try Self.frame(records: try Self.batch())), entries: [(Self.key, 0, 1)], broker: 1)
        #expect(shared.state.withLock { $0.chunks.first??.selections.first?.records.count } == 3)
        #expect(shared.state.withLock { $0.partitions[Self.key]?.fetchOffset } == 3)
    }

    @Test("OFFSET_OUT_OF_RANGE resets to earliest or latest per auto.offset.reset, or pauses with error",
          arguments: [KafkaAutoOffsetReset.earliest, .latest, .error])
    func outOfRange(reset: KafkaAutoOffsetReset) throws {
        let (fetcher, shared) = try Self.fetcher(reset: reset)
        fetcher.handle(.success(try Self.frame(errorCode: .offsetOutOfRange, records: nil)), entries: [(Self.key, 0, 1)], broker: 1)
        let (errors, partition) = shared.state.withLock { ($0.errors, $0.partitions[Self.key]) }
        #expect(errors.first?.brokerErrorCode == .offsetOutOfRange)
        #expect(partition?.fetchOffset == nil)
        switch reset {
        case .earliest: #expect(partition?.pendingStart == .earliest)
        case .latest: #expect(partition?.pendingStart == .latest)
        case .error: #expect(partition?.awaitsSeek == true)
        }
    }

    @Test("a response for a partition seeked since the fetch is dropped")
    func staleGeneration() throws {
        let (fetcher, shared) = try Self.fetcher()
        shared.state.withLock { $0.partitions[Self.key]?.generation = 2 }
        fetcher.handle(.success(try Self.frame(records: try Self.batch())), entries: [(Self.key, 0, 1)], broker: 1)
        #expect(shared.state.withLock { $0.chunks.isEmpty })
        #expect(shared.state.withLock { $0.partitions[Self.key]?.fetchOffset } == 0)
    }

    @Test("an undecodable response frame is a protocol violation, not a crash")
    func garbage() throws {
        let (fetcher, shared) = try Self.fetcher()
        fetcher.handle(.success(ResponseFrame(version: 12, bytes: [0, 0, 0, 1, 0xFF, 0x00])), entries: [(Self.key, 0, 1)], broker: 1)
        #expect(shared.state.withLock { $0.errors.first?.code } == .protocolViolation)
    }
}

@Suite("Consumer: subscription settings")
struct ConsumerSubscriptionSettingsTests {
    @Test("subscribing needs group.id and topics, with either group protocol")
    func invalidSubscriptions() async throws {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: ["127.0.0.1:9"])
        let noGroup = try KafkaConsumer(configuration: configuration)
        #expect(throws: KafkaError.self) { try noGroup.subscribe(topics: ["t"]) }
        await noGroup.close()

        configuration.groupId = "g"
        configuration.groupProtocol = .consumer
        let kip848 = try KafkaConsumer(configuration: configuration)
        #expect(throws: KafkaError.self) { try kip848.subscribe(topics: []) }
        await kip848.close()
    }
}
