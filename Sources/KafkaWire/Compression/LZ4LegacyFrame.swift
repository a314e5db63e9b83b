/// Kafka 0.8/0.9 wrote LZ4 frames whose header checksum was computed over the
/// magic number as well as the descriptor (KAFKA-3160). Java still reads
/// magic-0 messages that way; this rewrites the checksum byte so the standard
/// frame decoder accepts them.
enum LZ4LegacyFrame {
    static let magic: [UInt8] = [0x04, 0x22, 0x4D, 0x18]

    /// `frame` with a correct header checksum, or unchanged if it is not an LZ4 frame.
    static func repairingHeaderChecksum(_ frame: [UInt8]) -> [UInt8] {
        guard frame.count >= 7, Array(frame.prefix(4)) == magic else { return frame }
        let flags = frame[4]
        // FLG, BD, then optional 8-byte content size (bit 3) and 4-byte dictionary id (bit 0).
        let descriptorEnd = 6 + (flags & 0x08 != 0 ? 8 : 0) + (flags & 0x01 != 0 ? 4 : 0)
        guard frame.count > descriptorEnd else { return frame }
        var repaired = frame
        let hash = frame.withUnsafeBytes { XXHash32.hash(UnsafeRawBufferPointer(rebasing: $0[4..<descriptorEnd])) }
        repaired[descriptorEnd] = UInt8(truncatingIfNeeded: hash >> 8)
        return repaired
    }
}

extension CompressionCodec {
    /// Decompresses an LZ4 frame as a magic-0 message carries it, repairing
    /// the header checksum first (see `LZ4LegacyFrame`). Public for the fuzz targets.
    @_spi(Fuzzing)
    public static func decompressLegacyLZ4Frame(_ frame: [UInt8], limit: Int) throws(KafkaWireError) -> [UInt8] {
        try CompressionCodec.lz4.decompress(LZ4LegacyFrame.repairingHeaderChecksum(frame), limit: limit)
    }
}

/// XXH32 with seed 0, the hash LZ4 frames use for their header checksum.
enum XXHash32 {
    static let prime1: UInt32 = 2_654_435_761
    static let prime2: UInt32 = 2_246_822_519
    static let prime3: UInt32 = 3_266_489_917
    static let prime4: UInt32 = 668_265_263
    static let prime5: UInt32 = 374_761_393

    static func hash(_ input: UnsafeRawBufferPointer) -> UInt32 {
        func rotl(_ x: UInt32, _ r: UInt32) -> UInt32 { (x << r) | (x >> (32 - r)) }
        func word(_ at: Int) -> UInt32 { UInt32(littleEndian: input.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        var index = 0
        var h: UInt32
        if input.count >= 16 {
            var lanes: [UInt32] = [prime1 &+ prime2, prime2, 0, 0 &- prime1]
            while input.count - index >= 16 {
                for lane in 0..<4 {
                    lanes[lane] = rotl(lanes[lane] &+ word(index + lane * 4) &* prime2, 13) &* prime1
                }
                index += 16
            }
            h = rotl(lanes[0], 1) &+ rotl(lanes[1], 7) &+ rotl(lanes[2], 12) &+ rotl(lanes[3], 18)
        } else {
            h = prime5
        }
        h &+= UInt32(truncatingIfNeeded: input.count)
        while input.count - index >= 4 {
            h = rotl(h &+ word(index) &* prime3, 17) &* prime4
            index += 4
        }
        while index < input.count {
            h = rotl(h &+ UInt32(input[index]) &* prime5, 11) &* prime1
            index += 1
        }
        h ^= h >> 15
        h &*= prime2
        h ^= h >> 13
        h &*= prime3
        h ^= h >> 16
        return h
    }
}
