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

    @Test("a trailing header from borrowed bytes encodes exactly as the same header appended last; a null value too")
    func trailingHeaderMatchesAnOwnedOne() throws {
        let own = [RecordHeader(key: "a", value: [1, 2]), RecordHeader(key: "b", value: nil)]
        for value: [UInt8]? in [Array("stamp".utf8), [], nil] {
            let trailing = RecordHeader(key: "lineage", value: value)
            var owned = RecordBatchEncoder(), borrowed = RecordBatchEncoder()
            for headers in [own, []] {
                owned.append(key: [9], value: [8], headers: headers + [trailing], timestamp: 7)
                let key = Array(trailing.key.utf8)
                key.withUnsafeBytes { keyBytes in
                    func append(_ valueBytes: UnsafeRawBufferPointer?) {
                        borrowed.append(key: [9], value: [8], headers: headers,
                                        trailingHeader: BorrowedRecordHeader(key: keyBytes, value: valueBytes), timestamp: 7)
                    }
                    if let value { value.withUnsafeBytes { append($0) } } else { append(nil) }
                }
            }
            let bytes = try borrowed.finish()
            #expect(bytes == (try owned.finish()))
            #expect(try RecordBatch.decode(bytes).records.map(\.headers) == [own + [trailing], [trailing]])
        }
    }

    @Test func legacyAndOutOfRangeBatchesAreRejected() throws {
        let legacy = try #require(try RecordBatchDecoder.decodeAll(try RecordFixtures.bytes("legacy_v1_none")).first)
        #expect(thrownWireCode { try legacy.encode() } == .unsupportedMagic)
        let far = RecordBatch(baseOffset: 0, lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0,
                              records: [Record(offset: 1 << 40, timestamp: 0, key: nil, value: nil)])
        #expect(thrownWireCode { try far.encode() } == .invalidValue)
    }
}
