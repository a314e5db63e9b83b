/// A record header: a string key and nullable bytes.
public struct RecordHeader: Hashable, Sendable {
    public var key: String
    public var value: [UInt8]?

    @inlinable
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// One record as a consumer sees it, with absolute offset and timestamp.
public struct Record: Hashable, Sendable {
    /// The record's offset in the partition.
    public var offset: Int64
    /// Milliseconds since the epoch; -1 for magic-0 messages, which have none.
    public var timestamp: Int64
    /// The record key; nil is a null key.
    public var key: [UInt8]?
    /// The record value; nil is a null value (a tombstone).
    public var value: [UInt8]?
    /// Record headers (magic 2 only).
    public var headers: [RecordHeader]
    /// The per-record attributes byte (unused by Kafka today; legacy messages carry theirs here).
    public var attributes: Int8

    @inlinable
    public init(
        offset: Int64,
        timestamp: Int64,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [RecordHeader] = [],
        attributes: Int8 = 0
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
        self.attributes = attributes
    }
}
