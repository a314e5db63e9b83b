import KafkaWire
import Testing
@testable import KafkaClient

/// `read_committed` filtering against fetched bytes built to the spec: Tansu
/// and librdkafka's mock cluster both leak aborted records, so the filter is
/// proven here, on batches laid out as a broker returns them.
@Suite("Consumer: fetched record filtering (control records, aborted transactions)")
struct FetchedRecordFilterTests {
    /// A transactional data batch of `count` records from `producerId` at `baseOffset`.
    static func data(producerId: Int64, baseOffset: Int64, count: Int, transactional: Bool = true) throws -> [UInt8] {
        var encoder = RecordBatchEncoder(baseOffset: baseOffset, attributes: RecordBatchAttributes(isTransactional: transactional),
                                         producerId: producerId, producerEpoch: 0, baseSequence: 0)
        for index in 0..<count { encoder.append(key: nil, value: Array("p\(producerId)-\(baseOffset + Int64(index))".utf8), timestamp: 1) }
        return try encoder.finish()
    }

    static func marker(_ type: ControlRecordType, producerId: Int64, offset: Int64) throws -> [UInt8] {
        try RecordBatchEncoder.controlBatch(ControlRecord(type: type, coordinatorEpoch: 0), producerId: producerId, producerEpoch: 0,
                                            timestamp: 1, baseOffset: offset)
    }

    /// Offsets 0-2 producer 7 (aborted), 3-4 producer 8 (committed), 5 ABORT(7), 6 COMMIT(8), 7-8 producer 7 again (committed), 9 COMMIT(7).
    static func log() throws -> [RecordBatch] {
        var bytes: [UInt8] = []
        bytes += try data(producerId: 7, baseOffset: 0, count: 3)
        bytes += try data(producerId: 8, baseOffset: 3, count: 2)
        bytes += try marker(.abort, producerId: 7, offset: 5)
        bytes += try marker(.commit, producerId: 8, offset: 6)
        bytes += try data(producerId: 7, baseOffset: 7, count: 2)
        bytes += try marker(.commit, producerId: 7, offset: 9)
        return try RecordBatchDecoder.decodeAll(bytes)
    }

    static func offsets(_ selections: [FetchedRecordFilter.Selection]) -> [Int64] {
        selections.flatMap { $0.records.map(\.offset) }
    }

    @Test("read_committed drops the aborted transaction and every control record; the position passes them all")
    func readCommitted() throws {
        let (selections, next) = FetchedRecordFilter.select(try Self.log(), from: 0, isolation: .readCommitted,
                                                            abortedTransactions: [.init(producerId: 7, firstOffset: 0)])
        #expect(Self.offsets(selections) == [3, 4, 7, 8])
        #expect(next == 10)
    }

    @Test("read_uncommitted delivers aborted records too, never control records")
    func readUncommitted() throws {
        let (selections, next) = FetchedRecordFilter.select(try Self.log(), from: 0, isolation: .readUncommitted,
                                                            abortedTransactions: [.init(producerId: 7, firstOffset: 0)])
        #expect(Self.offsets(selections) == [0, 1, 2, 3, 4, 7, 8])
        #expect(next == 10)
    }

    @Test("records before the fetch position are skipped, even inside a batch")
    func fromPosition() throws {
        let (selections, _) = FetchedRecordFilter.select(try Self.log(), from: 4, isolation: .readUncommitted, abortedTransactions: [])
        #expect(Self.offsets(selections) == [4, 7, 8])
    }

    @Test("an abort marker ends the abort: the same producer's later transaction is delivered")
    func abortEnds() throws {
        let (selections, _) = FetchedRecordFilter.select(try Self.log(), from: 5, isolation: .readCommitted,
                                                         abortedTransactions: [.init(producerId: 7, firstOffset: 0)])
        #expect(Self.offsets(selections) == [7, 8])
    }

    @Test("markers with a key and no value (as kfake writes them) end an aborted run all the same")
    func valuelessMarkers() throws {
        let keyOnlyAbort = try ControlRecord(Record(offset: 0, timestamp: 1, key: [0, 0, 0, 0], value: nil))
        #expect(keyOnlyAbort.type == .abort && keyOnlyAbort.coordinatorEpoch == nil)
        var bytes = try Self.data(producerId: 7, baseOffset: 0, count: 2)
        bytes += try RecordBatchEncoder.controlBatch(keyOnlyAbort, producerId: 7, producerEpoch: 0, timestamp: 1, baseOffset: 2)
        bytes += try Self.data(producerId: 7, baseOffset: 3, count: 2)
        let (selections, next) = FetchedRecordFilter.select(try RecordBatchDecoder.decodeAll(bytes), from: 0, isolation: .readCommitted,
                                                            abortedTransactions: [.init(producerId: 7, firstOffset: 0)])
        #expect(Self.offsets(selections) == [3, 4])
        #expect(next == 5)
    }

    @Test("non-transactional batches are never filtered")
    func plainBatches() throws {
        let batches = try RecordBatchDecoder.decodeAll(try Self.data(producerId: 7, baseOffset: 0, count: 3, transactional: false))
        let (selections, _) = FetchedRecordFilter.select(batches, from: 0, isolation: .readCommitted,
                                                         abortedTransactions: [.init(producerId: 7, firstOffset: 0)])
        #expect(Self.offsets(selections) == [0, 1, 2])
    }
}
