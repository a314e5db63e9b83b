/// Builds one magic-2 record batch, record by record, for a producer.
///
/// Records are written straight into one growing buffer after a placeholder
/// header; ``finish(compression:level:)`` compresses the records section once
/// (if asked), then back-patches the header, length and CRC32C.
///
/// ```swift
/// var encoder = RecordBatchEncoder(baseTimestamp: now, estimatedSize: 16_384)
/// encoder.append(key: key, value: value, timestamp: now)
/// let bytes = try encoder.finish(compression: .lz4)
/// ```
public struct RecordBatchEncoder: Sendable {
    /// The offset of the first record (brokers assign real offsets; producers send 0).
    public var baseOffset: Int64
    /// The leader epoch field (-1 from producers; brokers overwrite it).
    public var partitionLeaderEpoch: Int32
    /// Attributes other than the codec, which `finish` sets.
    public var attributes: RecordBatchAttributes
    /// Idempotent/transactional producer id, or -1.
    public var producerId: Int64
    /// Producer epoch, or -1.
    public var producerEpoch: Int16
    /// The sequence number of the first record, or -1.
    public var baseSequence: Int32

    @usableFromInline var storage: [UInt8]
    @usableFromInline var used: Int
    /// The timestamp deltas are relative to this (the first record's timestamp).
    @usableFromInline var baseTimestamp: Int64?
    @usableFromInline var maxTimestamp: Int64
    @usableFromInline var lastOffsetDelta: Int32
    /// How many records have been appended.
    public private(set) var recordCount: Int
    /// Header values written verbatim instead of derived from the records
    /// (for re-encoding a decoded batch exactly).
    var headerOverride: (lastOffsetDelta: Int32, baseTimestamp: Int64, maxTimestamp: Int64)?

    /// - Parameters:
    ///   - baseOffset: the offset of the first record (0 from producers; brokers assign offsets).
    ///   - partitionLeaderEpoch: the leader epoch field (-1 from producers).
    ///   - attributes: the batch attributes other than the codec (transactional, control, ...).
    ///   - producerId: the idempotent or transactional producer id, or -1.
    ///   - producerEpoch: the producer epoch, or -1.
    ///   - baseSequence: the sequence number of the first record, or -1.
    ///   - estimatedSize: bytes to reserve up front (the batch size limit is a good choice).
    ///   - buffer: a buffer to write into instead of allocating one, typically the
    ///     bytes a previous `finish()` returned once they have been sent. Reusing
    ///     batch buffers keeps the allocator from handing out fresh pages for every
    ///     batch, which costs more than encoding the records. Pass it uniquely
    ///     referenced (no other copies alive), or it is copied on first write.
    public init(
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = -1,
        attributes: RecordBatchAttributes = RecordBatchAttributes(),
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1,
        estimatedSize: Int = 16_384,
        reusing buffer: consuming [UInt8] = []
    ) {
        self.baseOffset = baseOffset
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.attributes = attributes
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        let size = max(estimatedSize, RecordBatch.headerSize + 64)
        if buffer.capacity >= size {
            // Grows within the existing capacity: no allocation, and only the
            // bytes past the buffer's old count are filled.
            if buffer.count < size { buffer.append(contentsOf: repeatElement(0, count: size - buffer.count)) }
            storage = consume buffer
        } else {
            storage = Self.unfilledBuffer(count: size)
        }
        used = RecordBatch.headerSize
        baseTimestamp = nil
        maxTimestamp = -1
        lastOffsetDelta = -1
        recordCount = 0
    }

    /// The encoded size so far, uncompressed, including the header.
    @inlinable
    public var sizeInBytes: Int { used }

    /// Appends a record whose offset delta is the next one (0, 1, 2, ...).
    ///
    /// `trailingHeader`, written after `headers`, comes from borrowed bytes: a caller
    /// that stamps a header on every record writes it without allocating one.
    @inlinable
    public mutating func append(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [],
                                trailingHeader: BorrowedRecordHeader? = nil, timestamp: Int64) {
        let delta = lastOffsetDelta &+ 1
        append(key: key, value: value, headers: headers, trailingHeader: trailingHeader, timestamp: timestamp, offsetDelta: delta)
    }

    /// Appends a record with headers of another header type (a client's own), whose
    /// offset delta is the next one.
    @inlinable
    public mutating func append<Header: EncodableRecordHeader>(key: [UInt8]?, value: [UInt8]?, headers: [Header],
                                                               trailingHeader: BorrowedRecordHeader? = nil, timestamp: Int64) {
        let delta = lastOffsetDelta &+ 1
        append(key: key, value: value, headers: headers, trailingHeader: trailingHeader, timestamp: timestamp, offsetDelta: delta)
    }

    /// Appends a record with an explicit offset delta (must be above the previous one).
    @inlinable
    public mutating func append(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [],
                                trailingHeader: BorrowedRecordHeader? = nil, timestamp: Int64, offsetDelta: Int32) {
        append(key: key, value: value, headers: headers as [RecordHeader], trailingHeader: trailingHeader, timestamp: timestamp,
               offsetDelta: offsetDelta, generic: ())
    }

    /// Appends a record with an explicit offset delta and headers of any encodable header type.
    @inlinable
    public mutating func append<Header: EncodableRecordHeader>(key: [UInt8]?, value: [UInt8]?, headers: [Header],
                                                               trailingHeader: BorrowedRecordHeader? = nil, timestamp: Int64,
                                                               offsetDelta: Int32) {
        append(key: key, value: value, headers: headers, trailingHeader: trailingHeader, timestamp: timestamp,
               offsetDelta: offsetDelta, generic: ())
    }

    @inlinable
    mutating func append<Header: EncodableRecordHeader>(key: [UInt8]?, value: [UInt8]?, headers: [Header],
                                                        trailingHeader: BorrowedRecordHeader?, timestamp: Int64,
                                                        offsetDelta: Int32, generic: Void) {
        if let key {
            key.withUnsafeBytes { keyBytes in
                if let value {
                    value.withUnsafeBytes {
                        appendRaw(key: keyBytes, value: $0, headers: headers, trailingHeader: trailingHeader, timestamp: timestamp,
                                  offsetDelta: offsetDelta)
                    }
                } else {
                    appendRaw(key: keyBytes, value: nil, headers: headers, trailingHeader: trailingHeader, timestamp: timestamp,
                              offsetDelta: offsetDelta)
                }
            }
        } else if let value {
            value.withUnsafeBytes {
                appendRaw(key: nil, value: $0, headers: headers, trailingHeader: trailingHeader, timestamp: timestamp,
                          offsetDelta: offsetDelta)
            }
        } else {
            appendRaw(key: nil, value: nil, headers: headers, trailingHeader: trailingHeader, timestamp: timestamp,
                      offsetDelta: offsetDelta)
        }
    }

    /// Appends a decoded record (for example to re-produce it), at `offsetDelta`;
    /// its timestamp is kept and its offset is ignored.
    public mutating func append(_ record: Record, offsetDelta: Int32) {
        func withOptionalBytes<R>(_ bytes: ArraySlice<UInt8>?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
            guard let bytes else { return body(nil) }
            return bytes.withUnsafeBytes { body($0) }
        }
        withOptionalBytes(record.key) { key in
            withOptionalBytes(record.value) { value in
                appendRaw(key: key, value: value, headers: record.headers, timestamp: record.timestamp, offsetDelta: offsetDelta)
            }
        }
    }

    /// Appends a record from borrowed bytes (nil key/value are nulls), with
    /// `trailingHeader` (if any) after `headers`, of any header type the caller
    /// keeps (KafkaWire's `RecordHeader`, the client's `KafkaHeader`). Not pre-specialized
    /// with `@_specialize(exported:)`: a release build of a client in another package
    /// then failed to link against the specialized symbol.
    public mutating func appendRaw<Header: EncodableRecordHeader>(
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [Header],
        trailingHeader: BorrowedRecordHeader? = nil,
        timestamp: Int64,
        offsetDelta: Int32
    ) {
        let base = baseTimestamp ?? timestamp
        if baseTimestamp == nil { baseTimestamp = timestamp }
        let timestampDelta = timestamp &- base
        var bodySize = 1 + WireWriter.varlongSize(timestampDelta) + WireWriter.varlongSize(Int64(offsetDelta))
        bodySize += Self.nullableSize(key?.count) + Self.nullableSize(value?.count)
        let headerCount = headers.count + (trailingHeader == nil ? 0 : 1)
        bodySize += WireWriter.varlongSize(Int64(headerCount))
        for header in headers {
            let keyCount = header.key.utf8.count
            bodySize += WireWriter.varlongSize(Int64(keyCount)) + keyCount + Self.nullableSize(header.value?.count)
        }
        if let trailingHeader { bodySize += Self.nullableSize(trailingHeader.key.count) + Self.nullableSize(trailingHeader.value?.count) }
        reserve(bodySize + 5)
        let start = used
        var end = start
        storage.withUnsafeMutableBytes { raw in
            let out = raw.baseAddress!
            var p = start
            p += Self.putVarlong(out + p, Int64(bodySize))
            out.storeBytes(of: 0, toByteOffset: p, as: UInt8.self)
            p += 1
            p += Self.putVarlong(out + p, timestampDelta)
            p += Self.putVarlong(out + p, Int64(offsetDelta))
            p += Self.putNullable(out + p, key)
            p += Self.putNullable(out + p, value)
            p += Self.putVarlong(out + p, Int64(headerCount))
            for header in headers {
                var headerKey = header.key
                headerKey.withUTF8 { utf8 in p += Self.putNullable(out + p, UnsafeRawBufferPointer(utf8)) }
                if let headerValue = header.value {
                    headerValue.withUnsafeBytes { p += Self.putNullable(out + p, $0) }
                } else {
                    p += Self.putVarlong(out + p, -1)
                }
            }
            if let trailingHeader {
                p += Self.putNullable(out + p, trailingHeader.key)
                p += Self.putNullable(out + p, trailingHeader.value)
            }
            end = p
        }
        used = end
        if timestamp > maxTimestamp { maxTimestamp = timestamp }
        lastOffsetDelta = offsetDelta
        recordCount += 1
    }

    /// Finishes the batch: compresses the records once, fills in the header and CRC.
    ///
    /// Kafka requires at least one record per batch, but an empty batch still encodes.
    /// Afterwards the encoder is empty again (same header settings), ready for new records.
    public mutating func finish(compression: CompressionCodec = .none, level: Int? = nil) throws(KafkaWireError) -> [UInt8] {
        var output: [UInt8]
        if compression == .none {
            // Take the buffer out of the encoder first, so it is uniquely referenced
            // and trimming it and filling in the header happen in place rather than
            // copying the whole batch (copy-on-write).
            output = storage
            storage = []
            output.removeLast(output.count - used)
        } else {
            let compressed = try withBytes(storage) { (raw) throws(KafkaWireError) in
                try compression.compress(UnsafeRawBufferPointer(rebasing: raw[RecordBatch.headerSize..<used]), level: level)
            }
            output = [UInt8](repeating: 0, count: RecordBatch.headerSize)
            output.append(contentsOf: compressed)
        }
        var batchAttributes = attributes
        batchAttributes.setCompression(compression)
        guard output.count - RecordBatch.logOverhead <= Int(Int32.max) else {
            throw KafkaWireError(.invalidLength, field: "batchLength", detail: "batch of \(output.count) bytes")
        }
        let first = headerOverride?.baseTimestamp ?? baseTimestamp ?? -1
        let lastDelta = headerOverride?.lastOffsetDelta ?? max(lastOffsetDelta, 0)
        let maxTimestamp = headerOverride?.maxTimestamp ?? self.maxTimestamp
        output.withUnsafeMutableBytes { raw in
            func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
                raw.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
            }
            put(baseOffset, 0)
            put(Int32(raw.count - RecordBatch.logOverhead), 8)
            put(partitionLeaderEpoch, 12)
            put(Int8(2), 16)
            put(batchAttributes.rawValue, 21)
            put(lastDelta, 23)
            put(first, 27)
            put(maxTimestamp, 35)
            put(producerId, 43)
            put(producerEpoch, 51)
            put(baseSequence, 53)
            put(Int32(truncatingIfNeeded: recordCount), 57)
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatch.attributesOffset...]))
            put(crc, RecordBatch.crcOffset)
        }
        resetRecords()
        return output
    }

    /// Forgets the appended records, keeping the header settings.
    mutating func resetRecords() {
        if storage.count < RecordBatch.headerSize + 64 {
            storage = Self.unfilledBuffer(count: RecordBatch.headerSize + 64)
        }
        used = RecordBatch.headerSize
        baseTimestamp = nil
        maxTimestamp = -1
        lastOffsetDelta = -1
        recordCount = 0
        headerOverride = nil
    }

    // MARK: Internals

    @usableFromInline
    mutating func reserve(_ extra: Int) {
        guard storage.count - used < extra else { return }
        let grown = max(storage.count * 2, used + extra)
        var larger = Self.unfilledBuffer(count: grown)
        larger.withUnsafeMutableBytes { target in
            storage.withUnsafeBytes { source in
                target.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: used)
            }
        }
        storage = larger
    }

    /// A byte buffer of `count` bytes that are not zero-filled first: the encoder
    /// writes every byte before it is read, and zero-filling a batch-sized buffer
    /// (plus the page faults it causes) cost more than encoding the records.
    @usableFromInline
    static func unfilledBuffer(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initializedCount in initializedCount = count }
    }

    static func nullableSize(_ count: Int?) -> Int {
        guard let count else { return 1 }
        return WireWriter.varlongSize(Int64(count)) + count
    }

    @inline(__always)
    static func putVarlong(_ out: UnsafeMutableRawPointer, _ value: Int64) -> Int {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var index = 0
        while v >= 0x80 {
            out.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: index, as: UInt8.self)
            v >>= 7
            index += 1
        }
        out.storeBytes(of: UInt8(v), toByteOffset: index, as: UInt8.self)
        return index + 1
    }

    @inline(__always)
    static func putNullable(_ out: UnsafeMutableRawPointer, _ bytes: UnsafeRawBufferPointer?) -> Int {
        guard let bytes else { return putVarlong(out, -1) }
        let prefix = putVarlong(out, Int64(bytes.count))
        if let source = bytes.baseAddress, !bytes.isEmpty {
            (out + prefix).copyMemory(from: source, byteCount: bytes.count)
        }
        return prefix + bytes.count
    }
}
