import KafkaWire

/// One record as the consumer delivers it.
public struct KafkaConsumerMessage: Sendable, Hashable {
    /// The topic the message was read from.
    public var topic: String
    /// The partition the message was read from.
    public var partition: Int32
    /// The message's offset in its partition; commit `offset + 1` to move past it.
    public var offset: Int64
    /// The key, a slice of the fetched buffer (no copy); nil for none.
    public var key: ArraySlice<UInt8>?
    /// The value, a slice of the fetched buffer; nil for a tombstone.
    public var value: ArraySlice<UInt8>?
    /// The record's headers, in the order the producer wrote them; values are slices of the fetched buffer.
    public var headers: [KafkaHeader]
    /// Milliseconds since the epoch: create time or log-append time, per `timestampType`.
    public var timestamp: Int64
    /// Whether ``timestamp`` is the producer's create time or the broker's log-append time.
    public var timestampType: KafkaTimestampType
    /// The leader epoch of the batch the record came in (-1 when unknown).
    public var leaderEpoch: Int32

    /// A message as the consumer would deliver it (for testing handlers without a broker).
    public init(topic: String, partition: Int32, offset: Int64, key: ArraySlice<UInt8>?, value: ArraySlice<UInt8>?,
                headers: [KafkaHeader], timestamp: Int64, timestampType: KafkaTimestampType, leaderEpoch: Int32) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.leaderEpoch = leaderEpoch
    }

    /// The value decoded as UTF-8 (invalid bytes replaced).
    public var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }
    /// The key decoded as UTF-8.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
}

/// Where the consumer starts reading an assigned partition.
public enum KafkaConsumerStartOffset: Sendable, Hashable {
    /// The oldest record still stored.
    case earliest
    /// Only records written from now on (the end of the log).
    case latest
    /// This exact offset.
    case offset(Int64)
    /// The first record with a timestamp at or after this many milliseconds since the epoch (ListOffsets).
    case timestamp(Int64)
    /// The group's committed offset, looked up (and retried) in the background; where
    /// none is committed, or without `groupId`, `auto.offset.reset` decides. A group
    /// member starts the partitions it is given this way, as the Java client does.
    case committed
}

/// What happens when the position is out of the log's range (`auto.offset.reset`).
public enum KafkaAutoOffsetReset: String, Sendable, Hashable {
    /// Jump to the oldest record still stored.
    case earliest
    /// Jump to the end of the log (the default).
    case latest
    /// Report `.offsetOutOfRange` as an error and pause the partition.
    case error
}

/// Whether aborted transactional records are delivered (`isolation.level`).
public enum KafkaIsolationLevel: Int8, Sendable, Hashable {
    /// Deliver every record, including those of open and aborted transactions (the default).
    case readUncommitted = 0
    /// Deliver committed records only, stopping at the last stable offset.
    case readCommitted = 1
}
