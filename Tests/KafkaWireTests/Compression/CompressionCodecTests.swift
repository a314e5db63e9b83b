import Testing
@testable import KafkaWire

@Suite struct CompressionCodecTests {
    static let codecs: [CompressionCodec] = [.gzip, .snappy, .lz4, .zstd]

    static func compressible(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = RecordsTestRNG(seed: seed)
        let words = (0..<16).map { _ in rng.bytes(Int.random(in: 3...12, using: &rng)) }
        var out: [UInt8] = []
        out.reserveCapacity(count + 16)
        while out.count < count { out += words[Int.random(in: 0..<words.count, using: &rng)] }
        return Array(out.prefix(count))
    }

    @Test(arguments: codecs)
    func roundTripsManySizes(codec: CompressionCodec) throws {
        for (index, size) in [0, 1, 100, 32_767, 32_768, 32_769, 70_000, 300_000].enumerated() {
            let input = Self.compressible(size, seed: UInt64(index))
            let compressed = try codec.compress(input)
            #expect(try codec.decompress(compressed) == input, "\(codec) size \(size)")
            if size >= 1000 { #expect(compressed.count < input.count) }
        }
    }

    @Test(arguments: codecs)
    func roundTripsIncompressibleData(codec: CompressionCodec) throws {
        var rng = RecordsTestRNG(seed: 7)
        let input = rng.bytes(100_000)
        #expect(try codec.decompress(try codec.compress(input)) == input)
    }

    @Test func levelsAreHonoured() throws {
        let input = Self.compressible(200_000, seed: 3)
        for (codec, levels) in [(CompressionCodec.gzip, [1, 9]), (.lz4, [1, 9]), (.zstd, [1, 19])] {
            for level in levels {
                #expect(try codec.decompress(try codec.compress(input, level: level)) == input)
            }
        }
    }

    @Test(arguments: codecs)
    func decompressionBombIsCapped(codec: CompressionCodec) throws {
        // 8 MiB of zeros compresses to a few KB; a 1 MiB cap must stop it.
        let bomb = try codec.compress([UInt8](repeating: 0, count: 8 << 20))
        #expect(bomb.count < 1 << 20)
        #expect(thrownWireCode { try codec.decompress(bomb, limit: 1 << 20) } == .decompressedSizeLimitExceeded)
        // Exactly at the cap is fine.
        #expect(try codec.decompress(bomb, limit: 8 << 20).count == 8 << 20)
    }

    @Test(arguments: codecs)
    func corruptInputIsDecompressionFailed(codec: CompressionCodec) throws {
        let input = Self.compressible(50_000, seed: 11)
        let compressed = try codec.compress(input)
        // Truncation always breaks gzip, lz4 and zstd frames, and xerial/raw snappy blocks.
        for cut in [1, compressed.count / 2, compressed.count - 1] {
            #expect(thrownWireCode { try codec.decompress(Array(compressed.prefix(cut))) } == .decompressionFailed, "cut \(cut)")
        }
        #expect(thrownWireCode { try codec.decompress([0xDE, 0xAD, 0xBE, 0xEF, 0, 1, 2, 3]) } == .decompressionFailed)
        #expect(thrownWireCode { try codec.decompress([]) } == .decompressionFailed)
        // Int.max means "no cap" and must not overflow.
        #expect(try codec.decompress(compressed, limit: Int.max) == input)
    }

    @Test(arguments: codecs)
    func randomCorruptionNeverCrashes(codec: CompressionCodec) throws {
        var rng = RecordsTestRNG(seed: 99)
        let input = Self.compressible(20_000, seed: 5)
        let compressed = try codec.compress(input)
        for _ in 0..<200 {
            var damaged = compressed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            do {
                _ = try codec.decompress(damaged, limit: 1 << 20)
            } catch {
                #expect([.decompressionFailed, .decompressedSizeLimitExceeded].contains(error.code))
            }
        }
    }

    @Test func snappyReadsRawAndXerial() throws {
        let input = Self.compressible(100_000, seed: 21)
        let xerial = try CompressionCodec.snappy.compress(input)
        #expect(Array(xerial.prefix(8)) == [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00])
        #expect(Array(xerial[8..<16]) == [0, 0, 0, 1, 0, 0, 0, 1])
        let raw = try input.withUnsafeBytes { try SnappyCodec.compressRaw($0) }
        #expect(try CompressionCodec.snappy.decompress(raw) == input)
        #expect(try CompressionCodec.snappy.decompress(xerial) == input)
    }

    @Test func snappyRejectsBadXerialBlockLengths() {
        var stream: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]
        stream += [0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3]
        #expect(throws: KafkaWireError.self) { try CompressionCodec.snappy.decompress(stream) }
        let negative = Array(stream.prefix(16)) + [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: KafkaWireError.self) { try CompressionCodec.snappy.decompress(negative) }
    }

    @Test func gzipReadsConcatenatedMembers() throws {
        let a = Self.compressible(1000, seed: 1), b = Self.compressible(2000, seed: 2)
        let joined = try CompressionCodec.gzip.compress(a) + CompressionCodec.gzip.compress(b)
        #expect(try CompressionCodec.gzip.decompress(joined) == a + b)
    }

    @Test func unknownCodecBitsAreUnsupported() {
        for bits in 5...7 {
            #expect(throws: KafkaWireError.self) { try CompressionCodec(attributeBits: bits) }
        }
        #expect(try! CompressionCodec(attributeBits: 0x0B) == .lz4)
    }
}
