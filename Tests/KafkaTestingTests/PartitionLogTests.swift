@testable import KafkaTesting
import KafkaWire
import Testing

/// The fake cluster's log and idempotent-producer bookkeeping, without sockets.
@Suite("Fake cluster: partition log")
struct PartitionLogTests {
    static func batch(records: Int, producerId: Int64 = -1, epoch: Int16 = -1, sequence: Int32 = -1, timestamp: Int64 = 1_000) throws -> StoredBatch {
        var encoder = RecordBatchEncoder(producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
        for index in 0..<records { encoder.append(key: nil, value: Array("\(index)".utf8), timestamp: timestamp + Int64(index)) }
        let bytes = try encoder.finish(compression: .none)
        return try #require(try StoredBatch.split(bytes).get().first)
    }

    @Test("appends assign offsets and leader epochs; reads return whole batches from the one holding the offset")
    func appendAndRead() throws {
        var log = PartitionLog()
        #expect(log.append([try Self.batch(records: 3)], leaderEpoch: 0) == .appended(baseOffset: 0))
        #expect(log.append([try Self.batch(records: 2, timestamp: 2_000)], leaderEpoch: 4) == .appended(baseOffset: 3))
        #expect(log.endOffset == 5)
        let read = try RecordBatchDecoder.decodeAll(log.read(from: 4, maxBytes: 1))
        #expect(read.map(\.baseOffset) == [3])
        #expect(read.first?.partitionLeaderEpoch == 4)
        #expect(try RecordBatchDecoder.decodeAll(log.read(from: 0, maxBytes: 1 << 20)).flatMap(\.records).map(\.offset) == [0, 1, 2, 3, 4])
        #expect(log.endOffset(forEpoch: 0)! == (0, 3))
        #expect(log.endOffset(forEpoch: 2)! == (0, 3))
        #expect(log.endOffset(forEpoch: 4)! == (4, 5))
        #expect(log.offset(forTimestamp: 1_001) == (0, 1_002))
        #expect(log.offset(forTimestamp: 1_500) == (3, 2_001))
        #expect(log.offset(forTimestamp: 3_000) == (-1, -1))
        #expect(log.offset(forTimestamp: -2).offset == 0)
        #expect(log.offset(forTimestamp: -1).offset == 5)
    }

    @Test("an idempotent producer's retry is answered with the first offset; a gap or an old epoch is refused")
    func idempotentSequences() throws {
        var log = PartitionLog()
        let first = try Self.batch(records: 5, producerId: 7, epoch: 0, sequence: 0)
        #expect(log.append([first], leaderEpoch: 0) == .appended(baseOffset: 0))
        #expect(log.append([first], leaderEpoch: 0) == .duplicate(baseOffset: 0))
        #expect(log.append([try Self.batch(records: 1, producerId: 7, epoch: 0, sequence: 6)], leaderEpoch: 0) == .rejected(.outOfOrderSequenceNumber))
        #expect(log.append([try Self.batch(records: 1, producerId: 7, epoch: 0, sequence: 5)], leaderEpoch: 0) == .appended(baseOffset: 5))
        #expect(log.append([try Self.batch(records: 1, producerId: 7, epoch: 1, sequence: 3)], leaderEpoch: 0) == .rejected(.outOfOrderSequenceNumber))
        #expect(log.append([try Self.batch(records: 1, producerId: 7, epoch: 1, sequence: 0)], leaderEpoch: 0) == .appended(baseOffset: 6))
        #expect(log.append([try Self.batch(records: 1, producerId: 7, epoch: 0, sequence: 6)], leaderEpoch: 0) == .rejected(.invalidProducerEpoch))
        #expect(log.append([try Self.batch(records: 1, producerId: 8, epoch: 0, sequence: 4)], leaderEpoch: 0) == .rejected(.outOfOrderSequenceNumber))
        #expect(log.endOffset == 7)
    }

    @Test("corrupt input is refused with CORRUPT_MESSAGE before anything is written")
    func corruptBatches() throws {
        var bytes = try RecordBatchEncoder().finishing { $0.append(key: nil, value: [1], timestamp: 0) }
        bytes[bytes.count - 1] ^= 0xff
        #expect(StoredBatch.split(bytes).failure == .corruptMessage)
        #expect(StoredBatch.split(Array(bytes.prefix(20))).failure == .corruptMessage)
        #expect(StoredBatch.split([]).failure == .corruptMessage)
    }

    @Test("truncation drops whole batches from the offset on and forgets producer state")
    func truncation() throws {
        var log = PartitionLog()
        _ = log.append([try Self.batch(records: 2, producerId: 1, epoch: 0, sequence: 0)], leaderEpoch: 0)
        _ = log.append([try Self.batch(records: 2, producerId: 1, epoch: 0, sequence: 2)], leaderEpoch: 1)
        log.truncate(to: 2)
        #expect(log.endOffset == 2)
        #expect(log.endOffset(forEpoch: 1)! == (0, 2))
        #expect(log.append([try Self.batch(records: 1, producerId: 1, epoch: 0, sequence: 0)], leaderEpoch: 2) == .appended(baseOffset: 2))
    }
}

extension RecordBatchEncoder {
    func finishing(_ fill: (inout RecordBatchEncoder) -> Void) throws -> [UInt8] {
        var encoder = self
        fill(&encoder)
        return try encoder.finish(compression: .none)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
