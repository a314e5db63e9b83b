import Testing
@testable import KafkaWire

@Suite struct LegacyMessageSetTests {
    /// A test-side legacy message writer (the library only decodes legacy sets).
    static func message(offset: Int64, magic: Int8, attributes: Int8 = 0, timestamp: Int64 = 0,
                        key: [UInt8]?, value: [UInt8]?) -> [UInt8] {
        var body = WireWriter()
        body.write(magic)
        body.write(attributes)
        if magic == 1 { body.write(timestamp) }
        for field in [key, value] {
            if let field { body.write(Int32(field.count)); body.writeBytes(field) } else { body.write(Int32(-1)) }
        }
        var out = WireWriter()
        out.write(offset)
        out.write(Int32(body.count + 4))
        out.write(CRC32.checksum(body.bytes))
        out.writeBytes(body.bytes)
        return out.bytes
    }

    @Test func uncompressedV0AndV1() throws {
        let set = Self.message(offset: 7, magic: 0, key: [1], value: [2, 3])
            + Self.message(offset: 8, magic: 1, timestamp: 1234, key: nil, value: nil)
        let batches = try LegacyMessageSet.decode(set)
        #expect(batches.count == 2)
        #expect(batches[0].magic == 0 && batches[0].records == [Record(offset: 7, timestamp: -1, key: [1], value: [2, 3])])
        #expect(batches[1].magic == 1 && batches[1].records == [Record(offset: 8, timestamp: 1234, key: nil, value: nil)])
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4])
    func compressedV1WrapperUsesRelativeOffsets(codec: CompressionCodec) throws {
        let inner = (0..<5).flatMap { Self.message(offset: Int64($0), magic: 1, timestamp: 100 + Int64($0), key: nil, value: [UInt8($0)]) }
        let wrapper = Self.message(offset: 1004, magic: 1, attributes: codec.rawValue, timestamp: 999,
                                   key: nil, value: try codec.compress(inner))
        let batch = try #require(try RecordBatchDecoder.decodeAll(wrapper).first)
        #expect(batch.records.map(\.offset) == [1000, 1001, 1002, 1003, 1004])
        #expect(batch.records.map(\.timestamp) == [100, 101, 102, 103, 104])
        #expect(batch.baseOffset == 1000 && batch.lastOffset == 1004)
        #expect(try batch.attributes.compression() == codec)
    }

    @Test func logAppendTimeWrapperOverridesInnerTimestamps() throws {
        let inner = (0..<3).flatMap { Self.message(offset: Int64($0), magic: 1, timestamp: 5, key: nil, value: [1]) }
        let attributes = Int8(CompressionCodec.gzip.rawValue) | 0x08
        let wrapper = Self.message(offset: 2, magic: 1, attributes: attributes, timestamp: 777,
                                   key: nil, value: try CompressionCodec.gzip.compress(inner))
        let batch = try #require(try LegacyMessageSet.decode(wrapper).first)
        #expect(batch.records.map(\.timestamp) == [777, 777, 777])
        #expect(batch.attributes.timestampType == .logAppendTime)
    }

    @Test func compressedV0WrapperKeepsAbsoluteOffsets() throws {
        let inner = (0..<3).flatMap { Self.message(offset: 40 + Int64($0), magic: 0, key: [9], value: [UInt8($0)]) }
        let wrapper = Self.message(offset: 42, magic: 0, attributes: 2, key: nil,
                                   value: try CompressionCodec.snappy.compress(inner))
        let batch = try #require(try LegacyMessageSet.decode(wrapper).first)
        #expect(batch.records.map(\.offset) == [40, 41, 42])
    }

    @Test func errorsAreTyped() throws {
        var bad = Self.message(offset: 1, magic: 1, timestamp: 3, key: [1], value: [2])
        bad[bad.count - 1] ^= 1
        #expect(thrownWireCode { try LegacyMessageSet.decode(bad) } == .checksumMismatch)

        let nestedInner = Self.message(offset: 0, magic: 1, attributes: 1, key: nil, value: [1, 2, 3])
        let nested = Self.message(offset: 0, magic: 1, attributes: 1, key: nil, value: try CompressionCodec.gzip.compress(nestedInner))
        #expect(thrownWireCode { try LegacyMessageSet.decode(nested) } == .invalidValue)

        let nullWrapper = Self.message(offset: 0, magic: 1, attributes: 1, key: nil, value: nil)
        #expect(thrownWireCode { try LegacyMessageSet.decode(nullWrapper) } == .missingValue)

        let truncatedInner = Array(Self.message(offset: 0, magic: 1, key: nil, value: [1, 2, 3]).dropLast())
        let wrapper = Self.message(offset: 0, magic: 1, attributes: 1, key: nil, value: try CompressionCodec.gzip.compress(truncatedInner))
        #expect(thrownWireCode { try LegacyMessageSet.decode(wrapper) } != nil)

        var badKey = Self.message(offset: 0, magic: 0, key: [1, 2], value: nil)
        badKey.replaceSubrange(18..<22, with: [0x7F, 0, 0, 0])
        #expect(thrownWireCode { try LegacyMessageSet.decode(badKey, options: RecordDecodingOptions(verifyChecksums: false)) } == .invalidLength)
    }

    @Test func everyTruncationAndRandomCorruptionIsSafe() throws {
        let inner = (0..<4).flatMap { Self.message(offset: Int64($0), magic: 1, timestamp: 1, key: [1], value: [UInt8($0), 5]) }
        let set = Self.message(offset: 3, magic: 1, attributes: 1, timestamp: 2, key: nil, value: try CompressionCodec.gzip.compress(inner))
            + Self.message(offset: 4, magic: 0, key: nil, value: [8])
        for cut in 0...set.count {
            _ = try? LegacyMessageSet.decode(Array(set.prefix(cut)))
        }
        var rng = RecordsTestRNG(seed: 12)
        var failures = 0
        for _ in 0..<1000 {
            var damaged = set
            damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            if thrownWireCode({ try LegacyMessageSet.decode(damaged, options: RecordDecodingOptions(verifyChecksums: false)) }) != nil {
                failures += 1
            }
        }
        #expect(failures > 0)
        #expect(try LegacyMessageSet.decode(set).flatMap(\.records).map(\.offset) == [0, 1, 2, 3, 4])
    }
}
