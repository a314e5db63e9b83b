import Testing
@testable import KafkaWire

@Suite struct RecordBatchRoundTripTests {
    static let attributeCombos: [RecordBatchAttributes] = [
        RecordBatchAttributes(),
        RecordBatchAttributes(timestampType: .logAppendTime),
        RecordBatchAttributes(isTransactional: true),
        RecordBatchAttributes(isTransactional: true, isControl: true),
        RecordBatchAttributes(hasDeleteHorizon: true),
        RecordBatchAttributes(timestampType: .logAppendTime, isTransactional: true, hasDeleteHorizon: true),
    ]

    @Test(arguments: CompressionCodec.allCases)
    func roundTripsEveryCodecAndAttribute(codec: CompressionCodec) throws {
        var rng = RecordsTestRNG(seed: UInt64(codec.rawValue) + 1)
        for attributes in Self.attributeCombos {
            let input = sampleRecords(count: 40, valueSize: 300, rng: &rng)
            var encoder = RecordBatchEncoder(baseOffset: 5000, partitionLeaderEpoch: 12, attributes: attributes,
                                             producerId: 77, producerEpoch: 4, baseSequence: 900, estimatedSize: 64)
            for record in input {
                encoder.append(key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp)
            }
            let bytes = try encoder.finish(compression: codec)
            let batch = try RecordBatch.decode(bytes)
            #expect(batch.magic == 2)
            #expect(batch.baseOffset == 5000)
            #expect(batch.partitionLeaderEpoch == 12)
            #expect(try batch.attributes.compression() == codec)
            #expect(batch.attributes.timestampType == attributes.timestampType)
            #expect(batch.attributes.isTransactional == attributes.isTransactional)
            #expect(batch.attributes.isControl == attributes.isControl)
            #expect(batch.attributes.hasDeleteHorizon == attributes.hasDeleteHorizon)
            #expect(batch.producerId == 77 && batch.producerEpoch == 4 && batch.baseSequence == 900)
            #expect(batch.lastOffsetDelta == 39 && batch.lastOffset == 5039 && batch.nextOffset == 5040)
            let maxTimestamp = input.map(\.timestamp).max()!
            #expect(batch.baseTimestamp == input[0].timestamp && batch.maxTimestamp == maxTimestamp)
            #expect(batch.records.count == input.count)
            for (index, (record, expected)) in zip(batch.records, input).enumerated() {
                #expect(record.offset == 5000 + Int64(index))
                let expectedTimestamp = attributes.timestampType == .logAppendTime ? maxTimestamp : expected.timestamp
                #expect(record.timestamp == expectedTimestamp)
                #expect(record.key.map(Array.init) == expected.key)
                #expect(record.value.map(Array.init) == expected.value)
                #expect(record.headers == expected.headers)
            }
            // The CRC covers attributes through the end.
            #expect(batch.crc == CRC32C.checksum(Array(bytes[21...])))
        }
    }

    @Test func headerLayoutMatchesTheSpec() throws {
        var encoder = RecordBatchEncoder(baseOffset: 0x0102_0304_0506_0708, partitionLeaderEpoch: 9, producerId: 3, producerEpoch: 2, baseSequence: 1)
        encoder.append(key: nil, value: [0xAB], timestamp: 1000)
        let bytes = try encoder.finish()
        var reader = WireReader(bytes)
        #expect(reader.readInteger(as: Int64.self) == 0x0102_0304_0506_0708)
        #expect(reader.readInteger(as: Int32.self) == Int32(bytes.count - 12))
        #expect(reader.readInteger(as: Int32.self) == 9)
        #expect(reader.readInteger(as: Int8.self) == 2)
        #expect(reader.readInteger(as: UInt32.self) == CRC32C.checksum(Array(bytes[21...])))
        #expect(reader.readInteger(as: Int16.self) == 0)
        #expect(reader.readInteger(as: Int32.self) == 0)
        #expect(reader.readInteger(as: Int64.self) == 1000)
        #expect(reader.readInteger(as: Int64.self) == 1000)
        #expect(reader.readInteger(as: Int64.self) == 3)
        #expect(reader.readInteger(as: Int16.self) == 2)
        #expect(reader.readInteger(as: Int32.self) == 1)
        #expect(reader.readInteger(as: Int32.self) == 1)
        // length 7, attributes 0, ts delta 0, offset delta 0, key -1, value len 1, 0xAB, 0 headers
        #expect(reader.remainingBytes == [0x0E, 0x00, 0x00, 0x00, 0x01, 0x02, 0xAB, 0x00])
    }

    @Test func explicitOffsetDeltasAndNegativeTimestampDeltas() throws {
        var encoder = RecordBatchEncoder(baseOffset: 100)
        encoder.append(key: [1], value: [2], timestamp: 5000, offsetDelta: 0)
        encoder.append(key: [3], value: [4], timestamp: 4000, offsetDelta: 7)
        let batch = try RecordBatch.decode(try encoder.finish(compression: .zstd))
        #expect(batch.records.map(\.offset) == [100, 107])
        #expect(batch.records.map(\.timestamp) == [5000, 4000])
        #expect(batch.lastOffsetDelta == 7 && batch.maxTimestamp == 5000)
    }

    @Test(arguments: [ControlRecordType.commit, .abort])
    func controlBatchesRoundTrip(type: ControlRecordType) throws {
        let marker = ControlRecord(type: type, coordinatorEpoch: 31)
        let bytes = try RecordBatchEncoder.controlBatch(marker, producerId: 9, producerEpoch: 1, timestamp: 123, baseOffset: 50)
        let batch = try RecordBatch.decode(bytes)
        #expect(batch.attributes.isControl && batch.attributes.isTransactional)
        #expect(batch.records[0].key.map(Array.init) == [0, 0, 0, UInt8(type.rawValue)])
        #expect(batch.records[0].value.map(Array.init) == [0, 0, 0, 0, 0, 31])
        let parsed = try batch.controlRecords()
        #expect(parsed == [marker])
        #expect(parsed[0].type == type && parsed[0].coordinatorEpoch == 31)
    }

    @Test func controlRecordErrorsAreTyped() {
        let short = Record(offset: 0, timestamp: 0, key: [0, 0], value: nil)
        #expect(thrownWireCode { try ControlRecord(short) } == .invalidLength)
        let noValue = Record(offset: 0, timestamp: 0, key: [0, 0, 0, 1], value: [0])
        #expect(thrownWireCode { try ControlRecord(noValue) } == .invalidLength)
        let keyOnly = Record(offset: 0, timestamp: 0, key: [0, 0, 0, 1], value: nil)
        #expect((try? ControlRecord(keyOnly)).map { [$0.type == .commit, $0.coordinatorEpoch == nil] } == [true, true])
        #expect(ControlRecordType(controlKeyOf: keyOnly) == .commit && ControlRecordType(controlKeyOf: short) == nil)
        let leaderChange = Record(offset: 0, timestamp: 0, key: [0, 0, 0, 2], value: [9, 9])
        #expect((try? ControlRecord(leaderChange))?.type == .leaderChange)
        let data = RecordBatch(baseOffset: 0, lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0, records: [])
        #expect(thrownWireCode { try data.controlRecords() } == .invalidValue)
    }

    @Test func emptyAndLargeRecords() throws {
        var encoder = RecordBatchEncoder(estimatedSize: 0)
        encoder.append(key: [], value: [], timestamp: 1)
        let big = [UInt8](repeating: 0x5A, count: 1 << 20)
        encoder.append(key: nil, value: big, timestamp: 2)
        #expect(encoder.recordCount == 2)
        let batch = try RecordBatch.decode(try encoder.finish(compression: .lz4))
        #expect(batch.records[0].key?.isEmpty == true && batch.records[0].value?.isEmpty == true)
        #expect(batch.records[1].value.map(Array.init) == big)
    }
}
