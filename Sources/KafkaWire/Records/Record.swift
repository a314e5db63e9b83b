/// A header the record batch encoder can write: a string key and nullable bytes.
/// Clients conform their own header types so that records are encoded without
/// their headers being converted first.
public protocol EncodableRecordHeader {
    /// The header name (UTF-8).
    var key: String { get }
    /// The header value; nil for a null value.
    var value: ArraySlice<UInt8>? { get }
}

/// A record header: a string key and nullable bytes.
public struct RecordHeader: Hashable, Sendable, EncodableRecordHeader {
    /// The header name (UTF-8).
    public var key: String
    /// The header value; decoded values are slices of the fetched buffer.
    public var value: ArraySlice<UInt8>?

    /// Creates a header that owns `value`.
    @inlinable
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value.map { $0[...] }
    }

    /// Creates a header whose value shares existing storage.
    @inlinable
    public init(key: String, valueSlice: ArraySlice<UInt8>?) {
        self.key = key
        self.value = valueSlice
    }
}

/// A record header from borrowed bytes, which an encoder writes without a
/// `RecordHeader` (and its allocations) being built. Valid only while the memory
/// it points to is.
public struct BorrowedRecordHeader {
    /// The header name, UTF-8.
    public var key: UnsafeRawBufferPointer
    /// The header value; nil for a null value.
    public var value: UnsafeRawBufferPointer?

    @inlinable
    public init(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        self.key = key
        self.value = value
    }

    /// The header as an owned `RecordHeader`.
    public var owned: RecordHeader {
        RecordHeader(key: String(decoding: key, as: UTF8.self), value: value.map { Array($0) })
    }
}

/// One record as a consumer sees it, with absolute offset and timestamp.
///
/// Decoded keys and values are slices of the fetched (or decompressed)
/// buffer, so decoding copies nothing; `Array(value)` makes an owned copy.
/// A slice keeps its whole buffer alive while it exists.
public struct Record: Hashable, Sendable {
    /// The record's offset in the partition.
    public var offset: Int64
    /// Milliseconds since the epoch; -1 for magic-0 messages, which have none.
    public var timestamp: Int64
    /// The record key; nil is a null key.
    public var key: ArraySlice<UInt8>?
    /// The record value; nil is a null value (a tombstone).
    public var value: ArraySlice<UInt8>?
    /// Record headers (magic 2 only).
    public var headers: [RecordHeader]
    /// The per-record attributes byte (unused by Kafka today; legacy messages carry theirs here).
    public var attributes: Int8

    /// Creates a record that owns its key and value.
    @inlinable
    public init(
        offset: Int64,
        timestamp: Int64,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [RecordHeader] = [],
        attributes: Int8 = 0
    ) {
        self.init(offset: offset, timestamp: timestamp, keySlice: key.map { $0[...] },
                  valueSlice: value.map { $0[...] }, headers: headers, attributes: attributes)
    }

    /// Creates a record whose key and value share existing storage.
    @inlinable
    public init(
        offset: Int64,
        timestamp: Int64,
        keySlice: ArraySlice<UInt8>?,
        valueSlice: ArraySlice<UInt8>?,
        headers: [RecordHeader] = [],
        attributes: Int8 = 0
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = keySlice
        self.value = valueSlice
        self.headers = headers
        self.attributes = attributes
    }
}
