import KafkaWire

/// A record to produce: topic, optional partition, key, value, headers and timestamp.
public struct KafkaProducerRecord: Sendable, Hashable {
    /// The topic to write to.
    public var topic: String
    /// The partition, or nil to let the partitioner choose.
    public var partition: Int32?
    /// The key (nil for none); keyed records of one key stay on one partition.
    public var key: [UInt8]?
    /// The value (nil for a tombstone).
    public var value: [UInt8]?
    /// Record headers, in order; names may repeat.
    public var headers: [KafkaHeader]
    /// The create time in milliseconds since the epoch; nil for the time of `send`.
    public var timestamp: Int64?

    /// A record with byte key and value.
    public init(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?, headers: [KafkaHeader] = [],
                timestamp: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// A record with UTF-8 string key and value.
    public init(topic: String, partition: Int32? = nil, key: String? = nil, value: String?, headers: [KafkaHeader] = [],
                timestamp: Int64? = nil) {
        self.init(topic: topic, partition: partition, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) },
                  headers: headers, timestamp: timestamp)
    }

    /// A record with any contiguous bytes as key and value (`Data`, `ArraySlice`, ...).
    public init<Key: Sequence<UInt8>, Value: Sequence<UInt8>>(topic: String, partition: Int32? = nil, key: Key?, value: Value?,
                                                            headers: [KafkaHeader] = [], timestamp: Int64? = nil) {
        self.init(topic: topic, partition: partition, key: key.map { Array($0) }, value: value.map { Array($0) }, headers: headers,
                  timestamp: timestamp)
    }

    /// The bytes this record adds to a batch at most (varint lengths at their widest).
    var estimatedSize: Int {
        var size = 21 + (key?.count ?? 0) + (value?.count ?? 0)
        for header in headers { size += Self.estimatedSize(ofHeaderKey: header.key.utf8.count, value: header.value?.count) }
        return size
    }

    /// The bytes a header with a key and value of these lengths adds at most.
    static func estimatedSize(ofHeaderKey keyLength: Int, value valueLength: Int?) -> Int {
        10 + keyLength + (valueLength ?? 0)
    }
}

/// The handle `send` returns; delivery reports carry it.
public struct KafkaProducerMessageID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The id: records of one producer get increasing ids in the order they were sent.
    public let rawValue: UInt64
    /// The id with this raw value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "\(rawValue)" }
}

/// The outcome of one record: written at an offset, or failed with an error.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The id `send` returned.
    public var id: KafkaProducerMessageID
    /// The record's topic.
    public var topic: String
    /// The partition the record went to (or was meant for).
    public var partition: Int32
    /// The record's offset; nil on failure, or -1 when the broker acknowledged a duplicate without one.
    public var offset: Int64?
    /// The record's timestamp: its create time, or the broker's log-append time for topics that use it.
    public var timestamp: Int64?
    /// Why the record was not written; nil on success.
    public var error: KafkaError?

    /// True when the broker acknowledged the record.
    public var isSuccess: Bool { error == nil }
}

/// What the producer reports through its events sequence.
public enum KafkaProducerEvent: Sendable {
    /// Outcomes of records, one report per record, in order within a partition.
    case deliveryReports([KafkaDeliveryReport])
    /// A problem not tied to one record (metadata, producer id, ...).
    case error(KafkaError)
}
