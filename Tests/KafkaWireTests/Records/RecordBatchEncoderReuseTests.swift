import KafkaWire
import Testing

/// The encoder can be reused: `finish()` leaves it empty, and a finished batch's
/// bytes can be handed back as the next batch's buffer.
@Suite struct RecordBatchEncoderReuseTests {
    static func values(_ tag: UInt8, count: Int) -> [[UInt8]] {
        (0..<count).map { [UInt8](repeating: tag &+ UInt8($0 & 0x7F), count: 100 + $0) }
    }

    static func decodedValues(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try RecordBatch.decode(bytes).records.map { Array($0.value ?? []) }
    }

    @Test func finishLeavesAnEmptyEncoderThatEncodesTheNextBatch() throws {
        var encoder = RecordBatchEncoder(baseOffset: 0, estimatedSize: 128)
        for value in Self.values(1, count: 20) { encoder.append(key: nil, value: value, timestamp: 1_000) }
        let first = try encoder.finish()
        #expect(encoder.recordCount == 0)
        #expect(encoder.sizeInBytes == RecordBatch.headerSize)

        for value in Self.values(50, count: 5) { encoder.append(key: [1], value: value, timestamp: 2_000) }
        let second = try encoder.finish(compression: .lz4)
        #expect(try Self.decodedValues(first) == Self.values(1, count: 20))
        #expect(try Self.decodedValues(second) == Self.values(50, count: 5))
        #expect(try RecordBatch.decode(second).baseTimestamp == 2_000)

        // Finishing an empty encoder twice in a row is valid too.
        #expect(try RecordBatch.decode(try encoder.finish()).records.isEmpty)
        #expect(try RecordBatch.decode(try encoder.finish()).records.isEmpty)
    }

    @Test(arguments: [16, 4_096, 1 << 20])
    func reusedBuffersGiveTheSameBytesAsFreshOnes(estimatedSize: Int) throws {
        var buffer: [UInt8] = []
        for round in 0..<4 {
            let values = Self.values(UInt8(round * 30), count: 10 + round * 40)
            var fresh = RecordBatchEncoder(baseOffset: Int64(round), estimatedSize: estimatedSize)
            var reused = RecordBatchEncoder(baseOffset: Int64(round), estimatedSize: estimatedSize, reusing: buffer)
            for value in values {
                fresh.append(key: nil, value: value, timestamp: 5)
                reused.append(key: nil, value: value, timestamp: 5)
            }
            let expected = try fresh.finish()
            buffer = try reused.finish()
            #expect(buffer == expected)
            #expect(try Self.decodedValues(buffer) == values)
        }
    }
}
