import Testing
@testable import KafkaWire

@Suite struct RecordBatchCorruptionTests {
    static func sampleBatch(_ codec: CompressionCodec, seed: UInt64 = 1) throws -> [UInt8] {
        var rng = RecordsTestRNG(seed: seed)
        var encoder = RecordBatchEncoder(baseOffset: 10, producerId: 1, producerEpoch: 0, baseSequence: 0)
        for record in sampleRecords(count: 12, valueSize: 40, rng: &rng) {
            encoder.append(key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp)
        }
        return try encoder.finish(compression: codec)
    }

    @Test(arguments: CompressionCodec.allCases)
    func flippingAnyCoveredByteIsChecksumMismatch(codec: CompressionCodec) throws {
        let bytes = try Self.sampleBatch(codec)
        for index in 17..<bytes.count {
            var damaged = bytes
            damaged[index] ^= 0x40
            #expect(thrownWireCode { try RecordBatch.decode(damaged) } == .checksumMismatch, "byte \(index)")
        }
    }

    @Test func bytesOutsideTheCRCSpanAreNotCovered() throws {
        var bytes = try Self.sampleBatch(.none)
        bytes[3] ^= 0xFF  // base offset
        bytes[14] ^= 0xFF // partition leader epoch
        #expect(try RecordBatch.decode(bytes).records.count == 12)
    }

    @Test(arguments: CompressionCodec.allCases)
    func everyTruncationIsTypedErrorOrSkipped(codec: CompressionCodec) throws {
        let bytes = try Self.sampleBatch(codec)
        for cut in 0..<bytes.count {
            let prefix = Array(bytes.prefix(cut))
            #expect(thrownWireCode { try RecordBatch.decode(prefix) } != nil, "cut \(cut)")
            // In a fetch blob, a partial batch at the end is skipped silently.
            var decoder = RecordBatchDecoder(prefix)
            #expect(try decoder.next() == nil)
            #expect(decoder.skippedPartialBatch == (cut > 0))
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func randomCorruptionNeverCrashes(codec: CompressionCodec) throws {
        var rng = RecordsTestRNG(seed: 0xBAD + UInt64(codec.rawValue))
        let bytes = try Self.sampleBatch(codec)
        let options = RecordDecodingOptions(decompressedSizeLimit: 1 << 20, verifyChecksums: false)
        var decoded = 0, failed = 0
        for _ in 0..<1500 {
            var damaged = bytes
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            // Without CRC checks the parser itself must reject or accept every mutation.
            do {
                _ = try RecordBatchDecoder.decodeAll(damaged, options: options)
                decoded += 1
            } catch {
                failed += 1
            }
            // With CRC checks on, nothing malformed gets past.
            _ = try? RecordBatchDecoder.decodeAll(damaged)
        }
        #expect(decoded + failed == 1500)
        #expect(failed > 0)
    }

    @Test func malformedLengthsAreTyped() throws {
        var bytes = try Self.sampleBatch(.none)
        // Batch length too small for a header.
        var short = bytes
        short.replaceSubrange(8..<12, with: [0, 0, 0, 20])
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(short) } == .invalidLength)
        // Negative batch length.
        var negative = bytes
        negative.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xFE])
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(negative) } == .invalidLength)
        // Unknown magic.
        var magic = bytes
        magic[16] = 7
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(magic) } == .unsupportedMagic)
        // Record count larger than the records (CRC off, to reach the parser).
        let noCRC = RecordDecodingOptions(verifyChecksums: false)
        bytes.replaceSubrange(57..<61, with: [0, 0, 0, 13])
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(bytes, options: noCRC) } != nil)
        bytes.replaceSubrange(57..<61, with: [0x7F, 0, 0, 0])
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(bytes, options: noCRC) } == .invalidLength)
        bytes.replaceSubrange(57..<61, with: [0, 0, 0, 11])
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(bytes, options: noCRC) } == .trailingBytes)
        // Unused codec bits 5-7.
        bytes[22] = 0x06
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(bytes, options: noCRC) } == .unsupportedCompression)
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func compressedBatchBombIsCapped(codec: CompressionCodec) throws {
        var encoder = RecordBatchEncoder()
        for index in 0..<64 { encoder.append(key: nil, value: [UInt8](repeating: 0, count: 64 << 10), timestamp: Int64(index)) }
        let bytes = try encoder.finish(compression: codec)
        #expect(bytes.count < 1 << 20)
        let options = RecordDecodingOptions(decompressedSizeLimit: 1 << 20)
        #expect(thrownWireCode { try RecordBatchDecoder.decodeAll(bytes, options: options) } == .decompressedSizeLimitExceeded)
        #expect(try RecordBatchDecoder.decodeAll(bytes)[0].records.count == 64)
    }

    @Test func blobWithSeveralBatchesAndATail() throws {
        let first = try Self.sampleBatch(.none, seed: 1)
        let second = try Self.sampleBatch(.gzip, seed: 2)
        let blob = first + second + second.prefix(30)
        var decoder = RecordBatchDecoder(blob)
        #expect(try decoder.next()?.records.count == 12)
        #expect(try decoder.next()?.records.count == 12)
        #expect(try decoder.next() == nil)
        #expect(decoder.skippedPartialBatch)
        #expect(try decoder.next() == nil)
    }
}
