import KafkaWire
import Testing
@testable import KafkaClient

/// A batch refused as too large comes apart into two that carry its records,
/// reports and sequence range between them.
@Suite("Producer: splitting a batch")
struct ProducerBatchSplitTests {
    static func sentBatch(records: Int, baseSequence: Int32) throws -> ProducerBatch {
        var batch = ProducerBatch(topicPartition: TopicPartition(topic: "t", partition: 0), estimatedSize: 1024, createdAt: .now)
        for index in 0..<records {
            let record = KafkaProducerRecord(topic: "t", key: "k\(index)", value: "v\(index)",
                                             headers: [KafkaHeader(key: "h", value: [UInt8(index)])])
            batch.append(record, id: UInt64(100 + index), timestamp: 1_000 + Int64(index), size: 40)
        }
        batch.identity = ProducerIdentity(producerId: 9, epoch: 2, generation: 1)
        batch.baseSequence = baseSequence
        batch.encoder.baseSequence = baseSequence
        batch.bytes = try batch.encoder.finish(compression: .lz4)
        return batch
    }

    @Test("the halves carry the records, ids, timestamps and contiguous sequences, across the wrap too")
    func halves() throws {
        let batch = try Self.sentBatch(records: 5, baseSequence: Int32.max)
        let (first, second) = try #require(batch.splitInHalves())
        #expect(first.ids == [100, 101] && second.ids == [102, 103, 104])
        #expect(first.timestamps == [1_000, 1_001] && second.timestamps == [1_002, 1_003, 1_004])
        #expect(first.baseSequence == Int32.max && second.baseSequence == 1)  // Int32.max, 0 | 1, 2, 3
        #expect(first.identity == batch.identity && second.identity == batch.identity)
        #expect(first.bufferedBytes + second.bufferedBytes == batch.bufferedBytes)
        #expect(first.bytes == nil && second.bytes == nil && first.attempts == 0 && first.createdAt == batch.createdAt)

        var encoder = second.encoder
        let decoded = try #require(try RecordBatchDecoder.decodeAll(try encoder.finish()).first)
        #expect(decoded.records.map { $0.key.map { String(decoding: $0, as: UTF8.self) } } == ["k2", "k3", "k4"])
        #expect(decoded.records.map(\.timestamp) == [1_002, 1_003, 1_004])
        #expect(decoded.records.map { $0.headers.first?.value.map(Array.init) } == [[2], [3], [4]])
    }

    @Test("a single record cannot be split")
    func singleRecord() throws {
        #expect(try Self.sentBatch(records: 1, baseSequence: 0).splitInHalves() == nil)
    }
}
