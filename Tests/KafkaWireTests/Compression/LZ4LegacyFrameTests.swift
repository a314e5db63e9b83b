import Testing
@testable import KafkaWire

@Suite struct LZ4LegacyFrameTests {
    @Test func xxhash32Vectors() {
        // Reference values from the xxhash Python package.
        let cases: [([UInt8], UInt32)] = [([], 0x02CC_5D05), (Array("abc".utf8), 0x32D1_53FF), ((0..<40).map { UInt8($0) }, 0xD6A6_CF02)]
        for (input, expected) in cases {
            #expect(input.withUnsafeBytes { XXHash32.hash($0) } == expected)
        }
    }

    @Test func kafka08FrameNeedsRepairAndDecodes() throws {
        // The wrapper value in the kafka-python magic-0 lz4 fixture: offset 8 + size 4 + crc 4 +
        // magic 1 + attributes 1 + key length 4 (null) + value length 4 = 26 bytes of header.
        let set = try RecordFixtures.bytes("legacy_v0_lz4")
        let frame = Array(set[26...])
        #expect(thrownWireCode { try CompressionCodec.lz4.decompress(frame) } == .decompressionFailed)
        let repaired = LZ4LegacyFrame.repairingHeaderChecksum(frame)
        #expect(try CompressionCodec.lz4.decompress(repaired).count > 0)
        // A correct frame is left as it is.
        let good = try CompressionCodec.lz4.compress(Array("hello hello hello".utf8))
        #expect(LZ4LegacyFrame.repairingHeaderChecksum(good) == good)
    }
}
