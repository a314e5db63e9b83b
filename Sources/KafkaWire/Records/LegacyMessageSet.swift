/// Decoding of legacy message sets (magic 0 and 1), which old brokers and old
/// log segments still serve.
///
/// A message: int64 offset, int32 size, uint32 CRC32 (IEEE, over magic..end),
/// int8 magic, int8 attributes, int64 timestamp (magic 1 only), then key and
/// value as int32-length bytes (-1 = null). A compressed message is a wrapper
/// whose value decompresses to an inner message set; for magic 1 the inner
/// offsets are relative to the wrapper, which carries the last inner offset.
public enum LegacyMessageSet {
    static let minimumSizeV0 = 14
    static let minimumSizeV1 = 22

    /// Decodes a complete legacy message set: one batch per top-level message
    /// (a compressed wrapper becomes one batch of its inner records).
    /// A truncated final message is skipped, as brokers send partial ones.
    public static func decode(
        _ bytes: [UInt8],
        options: RecordDecodingOptions = RecordDecodingOptions()
    ) throws(KafkaWireError) -> [RecordBatch] {
        var batches: [RecordBatch] = []
        var decoder = RecordBatchDecoder(bytes, options: options)
        while let batch = try decoder.next() {
            guard batch.magic < 2 else {
                throw KafkaWireError(.unsupportedMagic, field: "magic", detail: "magic 2 batch in a legacy message set")
            }
            batches.append(batch)
        }
        return batches
    }

    /// One parsed legacy message; `value` still compressed for wrappers.
    struct Message {
        var offset: Int64
        var crc: UInt32
        var magic: Int8
        var attributes: Int8
        var timestamp: Int64
        var key: [UInt8]?
        var valueRange: UnsafeRawBufferPointer?
    }

    /// Parses the message at the cursor: offset and size, then the body, which must fit.
    static func readMessage(_ cursor: inout ByteCursor, verify: Bool) throws(KafkaWireError) -> Message {
        let offset = try cursor.read(Int64.self, field: "message.offset")
        let size = Int(try cursor.read(Int32.self, field: "message.size"))
        guard size >= minimumSizeV0 else {
            throw KafkaWireError(.invalidLength, field: "message.size", detail: "\(size) is shorter than a message")
        }
        var body = ByteCursor(try cursor.readBuffer(count: size, field: "message"))
        let crc = try body.read(UInt32.self, field: "message.crc")
        if verify {
            let computed = CRC32.checksum(UnsafeRawBufferPointer(start: body.base + 4, count: size - 4))
            guard computed == crc else {
                throw KafkaWireError(.checksumMismatch, field: "message.crc", detail: "stored \(hex(crc)), computed \(hex(computed))")
            }
        }
        let magic = try body.read(Int8.self, field: "message.magic")
        guard magic == 0 || magic == 1 else {
            throw KafkaWireError(.unsupportedMagic, field: "message.magic", detail: "magic \(magic) in a legacy message")
        }
        let attributes = try body.read(Int8.self, field: "message.attributes")
        let timestamp = magic == 1 ? try body.read(Int64.self, field: "message.timestamp") : -1
        let keyLength = Int(try body.read(Int32.self, field: "message.key"))
        let key = try body.readNullableBytes(length: keyLength, field: "message.key")
        let valueLength = Int(try body.read(Int32.self, field: "message.value"))
        var value: UnsafeRawBufferPointer?
        if valueLength != -1 { value = try body.readBuffer(count: valueLength, field: "message.value") }
        guard body.remaining == 0 else {
            throw KafkaWireError(.trailingBytes, field: "message", detail: "\(body.remaining) bytes after the value")
        }
        return Message(offset: offset, crc: crc, magic: magic, attributes: attributes,
                       timestamp: timestamp, key: key, valueRange: value)
    }

    /// Decodes the top-level message at the cursor into a batch.
    static func decodeEntry(_ cursor: inout ByteCursor, options: RecordDecodingOptions) throws(KafkaWireError) -> RecordBatch {
        let message = try readMessage(&cursor, verify: options.verifyChecksums)
        let attributes = RecordBatchAttributes(rawValue: Int16(UInt8(bitPattern: message.attributes)))
        let codec = try attributes.compression()
        let timestampType = message.magic == 0 ? TimestampType.createTime : attributes.timestampType
        guard codec != .none else {
            let record = Record(offset: message.offset, timestamp: message.timestamp, key: message.key,
                                value: message.valueRange.map { [UInt8]($0) }, attributes: message.attributes)
            return RecordBatch(baseOffset: message.offset, magic: message.magic, crc: message.crc,
                               attributes: attributes, lastOffsetDelta: 0, baseTimestamp: message.timestamp,
                               maxTimestamp: message.timestamp, records: [record])
        }
        guard let compressed = message.valueRange else {
            throw KafkaWireError(.missingValue, field: "message.value", detail: "compressed wrapper with a null value")
        }
        let inflated: [UInt8]
        if codec == .lz4, message.magic == 0 {
            // Magic-0 LZ4 comes from Kafka 0.8/0.9 and its faulty header checksum.
            inflated = try CompressionCodec.decompressLegacyLZ4Frame([UInt8](compressed), limit: options.decompressedSizeLimit)
        } else {
            inflated = try codec.decompress(compressed, limit: options.decompressedSizeLimit)
        }
        var records = try withBytes(inflated) { (raw) throws(KafkaWireError) in
            try decodeInner(raw, verify: options.verifyChecksums)
        }
        // Magic 1 inner offsets count from the wrapper's offset back (it holds the last one).
        if message.magic > 0, let lastRelative = records.last?.offset {
            let base = message.offset &- lastRelative
            for index in records.indices { records[index].offset = base &+ records[index].offset }
        }
        if timestampType == .logAppendTime {
            for index in records.indices { records[index].timestamp = message.timestamp }
        }
        let first = records.first?.offset ?? message.offset
        let maxTimestamp = records.reduce(message.timestamp) { max($0, $1.timestamp) }
        let delta = Int32(truncatingIfNeeded: (records.last?.offset ?? first) &- first)
        return RecordBatch(baseOffset: first, magic: message.magic, crc: message.crc, attributes: attributes,
                           lastOffsetDelta: delta, baseTimestamp: records.first?.timestamp ?? message.timestamp,
                           maxTimestamp: maxTimestamp, records: records)
    }

    /// Decodes an inner (decompressed) message set; it must be complete and uncompressed.
    static func decodeInner(_ raw: UnsafeRawBufferPointer, verify: Bool) throws(KafkaWireError) -> [Record] {
        var cursor = ByteCursor(raw)
        var records: [Record] = []
        records.reserveCapacity(raw.count / (minimumSizeV0 + 12))
        while cursor.remaining > 0 {
            let inner = try readMessage(&cursor, verify: verify)
            guard inner.attributes & 0x07 == 0 else {
                throw KafkaWireError(.invalidValue, field: "message.attributes", detail: "compressed message inside a compressed wrapper")
            }
            records.append(Record(offset: inner.offset, timestamp: inner.timestamp, key: inner.key,
                                  value: inner.valueRange.map { [UInt8]($0) }, attributes: inner.attributes))
        }
        return records
    }
}
