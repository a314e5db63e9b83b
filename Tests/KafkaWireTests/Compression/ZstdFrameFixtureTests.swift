import Testing
@testable import KafkaWire

/// zstd frames made by python-zstandard whose content size is absent or wrong.
@Suite struct ZstdFrameFixtureTests {
    static func expected() throws -> [UInt8] {
        let meta = try RecordFixtures.sidecar("zstd_frames")
        let pattern = Array((meta["pattern"] as! String).utf8)
        let size = meta["decompressedSize"] as! Int
        return Array(repeatElement(pattern, count: size / pattern.count).joined())
    }

    @Test func frameWithoutContentSizeDecodesUnderTheCap() throws {
        let frame = try RecordFixtures.bytes("zstd_no_content_size")
        let want = try Self.expected()
        #expect(try CompressionCodec.zstd.decompress(frame, limit: want.count) == want)
        #expect(thrownWireCode { try CompressionCodec.zstd.decompress(frame, limit: want.count - 1) } == .decompressedSizeLimitExceeded)
    }

    @Test func lyingContentSizeIsRejectedNotTrusted() throws {
        let frame = try RecordFixtures.bytes("zstd_lying_content_size")
        let code = thrownWireCode { try CompressionCodec.zstd.decompress(frame) }
        #expect(code == .decompressionFailed)
        #expect(thrownWireCode { try CompressionCodec.zstd.decompress(frame, limit: 1000) } != nil)
    }
}
