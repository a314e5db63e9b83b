/// Decodes a `records` blob as a Fetch response carries it: batches of any
/// magic back to back, possibly ending in a partial batch.
///
/// A truncated final batch is skipped, not an error: brokers cut the response
/// at the fetch size limit. Everything else malformed throws a typed
/// `KafkaWireError`; a CRC mismatch throws `checksumMismatch`.
///
/// ```swift
/// var decoder = RecordBatchDecoder(recordsBytes)
/// while let batch = try decoder.next() { for record in batch.records { ... } }
/// ```
public struct RecordBatchDecoder: Sendable {
    /// The `records` blob being decoded.
    public let bytes: [UInt8]
    /// Checksum and decompression settings.
    public var options: RecordDecodingOptions
    /// Where the next batch starts.
    public private(set) var position: Int
    /// True once the blob ended in a partial batch that was skipped.
    public private(set) var skippedPartialBatch: Bool

    /// A decoder positioned at the first batch of `bytes`.
    public init(_ bytes: [UInt8], options: RecordDecodingOptions = RecordDecodingOptions()) {
        self.bytes = bytes
        self.options = options
        position = 0
        skippedPartialBatch = false
    }

    /// Decodes every complete batch in `bytes`.
    public static func decodeAll(
        _ bytes: [UInt8],
        options: RecordDecodingOptions = RecordDecodingOptions()
    ) throws(KafkaWireError) -> [RecordBatch] {
        var decoder = RecordBatchDecoder(bytes, options: options)
        var batches: [RecordBatch] = []
        while let batch = try decoder.next() { batches.append(batch) }
        return batches
    }

    /// The next batch, or nil at the end (including a skipped partial batch).
    public mutating func next() throws(KafkaWireError) -> RecordBatch? {
        let start = position
        let options = options
        var consumed = 0
        let batch = try withBytes(bytes) { (raw) throws(KafkaWireError) -> RecordBatch? in
            let rest = UnsafeRawBufferPointer(rebasing: raw[start...])
            // Every magic starts with int64 offset + int32 size, and has its magic at byte 16.
            guard rest.count >= RecordBatch.logOverhead else { return nil }
            let size = Int(RecordBatch.batchLengthField(rest))
            guard size >= 0 else {
                throw KafkaWireError(.invalidLength, field: "batchLength", detail: "negative length \(size) at byte \(start)")
            }
            guard size <= rest.count - RecordBatch.logOverhead else { return nil }
            guard size > RecordBatch.magicOffset - RecordBatch.logOverhead else {
                throw KafkaWireError(.invalidLength, field: "batchLength", detail: "length \(size) at byte \(start) is too short for any magic")
            }
            let entry = UnsafeRawBufferPointer(rebasing: rest[..<(RecordBatch.logOverhead + size)])
            consumed = entry.count
            let magic = Int8(bitPattern: entry[RecordBatch.magicOffset])
            switch magic {
            case 2:
                return try RecordBatch.decodeV2(entry, storage: bytes, storageOffset: start, options: options)
            case 0, 1:
                var cursor = ByteCursor(entry)
                return try LegacyMessageSet.decodeEntry(&cursor, options: options)
            default:
                throw KafkaWireError(.unsupportedMagic, field: "magic", detail: "magic \(magic) at byte \(start)")
            }
        }
        guard let batch else {
            if position < bytes.count { skippedPartialBatch = true }
            position = bytes.count
            return nil
        }
        position = start + consumed
        return batch
    }
}
