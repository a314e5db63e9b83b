import Testing
@testable import KafkaWire

@Suite struct RecordBatchEncodeTests {
    @Test(arguments: ["v2_none", "v2_plain"])
    func reencodingAnUncompressedFixtureIsByteIdentical(name: String) throws {
        let theirs = try RecordFixtures.bytes(name)
        #expect(try RecordBatch.decode(theirs).encode() == theirs)
    }

    @Test(arguments: ["v2_gzip", "v2_snappy", "v2_lz4", "v2_zstd"])
    func reencodingACompressedFixtureKeepsEveryField(name: String) throws {
        let original = try RecordBatch.decode(try RecordFixtures.bytes(name))
        let codec = try original.attributes.compression()
        var again = try RecordBatch.decode(try original.encode(compression: codec))
        #expect(again.crc != 0)
        again.crc = original.crc // compressed bytes (and so the CRC) may differ by library version
        #expect(again == original)
    }

    @Test func logAppendTimeAndDeleteHorizonBatchesSurvive() throws {
        var encoder = RecordBatchEncoder(baseOffset: 70, attributes: RecordBatchAttributes(timestampType: .logAppendTime, hasDeleteHorizon: true))
        encoder.append(key: [1], value: [2], timestamp: 10)
        encoder.append(key: nil, value: [3], timestamp: 30)
        let bytes = try encoder.finish(compression: .snappy)
        let batch = try RecordBatch.decode(bytes)
        #expect(batch.records.map(\.timestamp) == [30, 30])
        var again = try RecordBatch.decode(try batch.encode(compression: .snappy))
        // The records now carry the append time in their deltas, so only the CRC changes.
        again.crc = batch.crc
        #expect(again == batch)
    }

    @Test func legacyAndOutOfRangeBatchesAreRejected() throws {
        let legacy = try #require(try RecordBatchDecoder.decodeAll(try RecordFixtures.bytes("legacy_v1_none")).first)
        #expect(thrownWireCode { try legacy.encode() } == .unsupportedMagic)
        let far = RecordBatch(baseOffset: 0, lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0,
                              records: [Record(offset: 1 << 40, timestamp: 0, key: nil, value: nil)])
        #expect(thrownWireCode { try far.encode() } == .invalidValue)
    }
}
