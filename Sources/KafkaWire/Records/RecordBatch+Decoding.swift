extension RecordBatch {
    /// Decodes exactly one magic-2 record batch.
    ///
    /// `bytes` must hold the whole batch and nothing after it. A CRC mismatch
    /// throws `checksumMismatch`; every malformed length throws a typed error.
    public static func decode(
        _ bytes: [UInt8],
        options: RecordDecodingOptions = RecordDecodingOptions()
    ) throws(KafkaWireError) -> RecordBatch {
        try withBytes(bytes) { (raw) throws(KafkaWireError) in
            let batch = try decodeV2(raw, storage: bytes, storageOffset: 0, options: options)
            guard raw.count == logOverhead + Int(batchLengthField(raw)) else {
                throw KafkaWireError(.trailingBytes, field: "recordBatch", detail: "bytes after the batch")
            }
            return batch
        }
    }

    static func batchLengthField(_ raw: UnsafeRawBufferPointer) -> Int32 {
        Int32(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int32.self))
    }

    /// Decodes the magic-2 batch at the start of `raw`; its length field must fit in `raw`.
    /// `raw` is `storage` from `storageOffset` on: records become slices of `storage`.
    static func decodeV2(
        _ raw: UnsafeRawBufferPointer,
        storage: [UInt8],
        storageOffset: Int,
        options: RecordDecodingOptions
    ) throws(KafkaWireError) -> RecordBatch {
        var cursor = ByteCursor(raw)
        let baseOffset = try cursor.read(Int64.self, field: "baseOffset")
        let batchLength = Int(try cursor.read(Int32.self, field: "batchLength"))
        guard batchLength >= headerSize - logOverhead else {
            throw KafkaWireError(.invalidLength, field: "batchLength", detail: "\(batchLength) is shorter than a batch header")
        }
        guard batchLength <= raw.count - logOverhead else {
            throw KafkaWireError(.truncated, field: "batchLength", detail: "\(batchLength) with \(raw.count - logOverhead) bytes left")
        }
        let partitionLeaderEpoch = try cursor.read(Int32.self, field: "partitionLeaderEpoch")
        let magic = try cursor.read(Int8.self, field: "magic")
        guard magic == 2 else {
            throw KafkaWireError(.unsupportedMagic, field: "magic", detail: "magic \(magic) in a v2 batch")
        }
        let crc = try cursor.read(UInt32.self, field: "crc")
        let end = logOverhead + batchLength
        if options.verifyChecksums {
            let covered = UnsafeRawBufferPointer(rebasing: raw[attributesOffset..<end])
            let computed = CRC32C.checksum(covered)
            guard computed == crc else {
                throw KafkaWireError(.checksumMismatch, field: "crc", detail: "stored \(hex(crc)), computed \(hex(computed))")
            }
        }
        let attributes = RecordBatchAttributes(rawValue: try cursor.read(Int16.self, field: "attributes"))
        let lastOffsetDelta = try cursor.read(Int32.self, field: "lastOffsetDelta")
        let baseTimestamp = try cursor.read(Int64.self, field: "baseTimestamp")
        let maxTimestamp = try cursor.read(Int64.self, field: "maxTimestamp")
        let producerId = try cursor.read(Int64.self, field: "producerId")
        let producerEpoch = try cursor.read(Int16.self, field: "producerEpoch")
        let baseSequence = try cursor.read(Int32.self, field: "baseSequence")
        let recordCount = Int(try cursor.read(Int32.self, field: "recordCount"))
        guard recordCount >= 0 else {
            throw KafkaWireError(.invalidLength, field: "recordCount", detail: "negative count \(recordCount)")
        }
        let codec = try attributes.compression()
        let body = UnsafeRawBufferPointer(rebasing: raw[headerSize..<end])
        // Log-append-time batches carry the broker's time once, in maxTimestamp.
        let timestampOverride: Int64? = attributes.timestampType == .logAppendTime ? maxTimestamp : nil
        let records: [Record]
        if codec == .none {
            records = try decodeRecords(body, storage: storage, storageOffset: storageOffset + headerSize,
                                        count: recordCount, baseOffset: baseOffset,
                                        baseTimestamp: baseTimestamp, timestampOverride: timestampOverride)
        } else {
            let inflated = try codec.decompress(body, limit: options.decompressedSizeLimit)
            records = try withBytes(inflated) { (plain) throws(KafkaWireError) in
                try decodeRecords(plain, storage: inflated, storageOffset: 0, count: recordCount, baseOffset: baseOffset,
                                  baseTimestamp: baseTimestamp, timestampOverride: timestampOverride)
            }
        }
        return RecordBatch(
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch, magic: magic, crc: crc,
            attributes: attributes, lastOffsetDelta: lastOffsetDelta, baseTimestamp: baseTimestamp,
            maxTimestamp: maxTimestamp, producerId: producerId, producerEpoch: producerEpoch,
            baseSequence: baseSequence, records: records)
    }

    /// The smallest encoded record: length, attributes, two deltas, key, value, header count.
    static let minimumRecordSize = 7

    /// Decodes `count` records that must fill `section` exactly; `section` is
    /// `storage` from `storageOffset` on, and keys and values are slices of it.
    static func decodeRecords(
        _ section: UnsafeRawBufferPointer,
        storage: [UInt8],
        storageOffset: Int,
        count: Int,
        baseOffset: Int64,
        baseTimestamp: Int64,
        timestampOverride: Int64?
    ) throws(KafkaWireError) -> [Record] {
        guard count <= section.count / minimumRecordSize else {
            throw KafkaWireError(.invalidLength, field: "recordCount", detail: "\(count) records cannot fit in \(section.count) bytes")
        }
        var cursor = ByteCursor(section)
        var failure: KafkaWireError?
        // Records are built in place: appending goes through generic copy paths.
        let records = [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                do throws(KafkaWireError) {
                    // Decoded straight into the buffer: through a local, each record was
                    // copied (retaining its key, value and headers) and the local destroyed.
                    (buffer.baseAddress! + index).initialize(
                        to: try decodeRecord(&cursor, storage: storage, storageOffset: storageOffset, baseOffset: baseOffset,
                                             baseTimestamp: baseTimestamp, timestampOverride: timestampOverride))
                    initialized = index + 1
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
        guard cursor.remaining == 0 else {
            throw KafkaWireError(.trailingBytes, field: "records", detail: "\(cursor.remaining) bytes after \(count) records")
        }
        return records
    }
}

extension RecordBatch {
    /// Decodes the record at the cursor; keys and values become slices of `storage`,
    /// which holds the cursor's bytes from `storageOffset` on.
    @inline(__always)
    static func decodeRecord(
        _ cursor: inout ByteCursor,
        storage: [UInt8],
        storageOffset: Int,
        baseOffset: Int64,
        baseTimestamp: Int64,
        timestampOverride: Int64?
    ) throws(KafkaWireError) -> Record {
        let length = Int(try cursor.readVarint(field: "record.length"))
        guard length >= minimumRecordSize - 1, length <= cursor.remaining else {
            throw KafkaWireError(.invalidLength, field: "record.length", detail: "\(length) with \(cursor.remaining) bytes left")
        }
        let origin = storageOffset + cursor.position
        var record = ByteCursor(try cursor.readBuffer(count: length, field: "record"))
        let attributes = try record.read(Int8.self, field: "record.attributes")
        let timestampDelta = try record.readVarlong(field: "record.timestampDelta")
        let offsetDelta = try record.readVarint(field: "record.offsetDelta")
        let key = try record.readNullableRange(field: "record.key").map { storage[origin + $0.lowerBound..<origin + $0.upperBound] }
        let value = try record.readNullableRange(field: "record.value").map { storage[origin + $0.lowerBound..<origin + $0.upperBound] }
        let headerCount = Int(try record.readVarint(field: "record.headers"))
        var headers: [RecordHeader] = []
        if headerCount != 0 {
            // Each header takes at least two bytes (two lengths).
            guard headerCount > 0, headerCount <= record.remaining / 2 else {
                throw KafkaWireError(.invalidLength, field: "record.headers", detail: "count \(headerCount) with \(record.remaining) bytes left")
            }
            headers.reserveCapacity(headerCount)
            for _ in 0..<headerCount {
                let keyLength = Int(try record.readVarint(field: "header.key"))
                let headerKey = try record.readString(length: keyLength, field: "header.key")
                let headerValue = try record.readNullableRange(field: "header.value").map { storage[origin + $0.lowerBound..<origin + $0.upperBound] }
                headers.append(RecordHeader(key: headerKey, valueSlice: headerValue))
            }
        }
        guard record.remaining == 0 else {
            throw KafkaWireError(.trailingBytes, field: "record", detail: "\(record.remaining) bytes after the headers")
        }
        return Record(
            offset: baseOffset &+ Int64(offsetDelta),
            timestamp: timestampOverride ?? (baseTimestamp &+ timestampDelta),
            keySlice: key, valueSlice: value, headers: headers, attributes: attributes)
    }
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
