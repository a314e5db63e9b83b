/// Which offset `listOffsets` looks up.
public enum OffsetSpec: Sendable, Hashable {
    /// The log start offset.
    case earliest
    /// The end offset (the high watermark, or the last stable offset under read_committed).
    case latest
    /// The offset of the record with the largest timestamp (ListOffsets v7+, KIP-734).
    case maxTimestamp
    /// The first offset whose timestamp is at or after this many milliseconds since the epoch.
    case timestamp(Int64)

    /// The special timestamp ListOffsets encodes the spec as.
    var wireTimestamp: Int64 {
        switch self {
        case .earliest: -2
        case .latest: -1
        case .maxTimestamp: -3
        case .timestamp(let milliseconds): milliseconds
        }
    }
}

/// An offset `listOffsets` found.
public struct ListedOffset: Sendable, Hashable {
    /// The offset: the first at or after the timestamp asked for, or the earliest, latest or max-timestamp one.
    public var offset: Int64
    /// The record's timestamp, for timestamp lookups; -1 otherwise.
    public var timestamp: Int64
    /// The leader epoch of the record at that offset, when the broker reports it.
    public var leaderEpoch: Int32?
}

/// A partition's consumer lag: how far the group's committed offset is behind the end.
public struct PartitionLag: Sendable, Hashable {
    /// The group's committed offset; nil when it has committed none.
    public var committed: Int64?
    /// The partition's end offset.
    public var end: Int64
    /// `end - committed`, or the whole partition (`end - logStart`) without a commit.
    public var lag: Int64

    /// A partition's lag.
    public init(committed: Int64?, end: Int64, lag: Int64) {
        self.committed = committed
        self.end = end
        self.lag = lag
    }
}

/// A consumer group's lag over every partition it has committed offsets for.
public struct ConsumerGroupLag: Sendable, Hashable {
    /// The group id.
    public var group: String
    /// The lag of each partition the group has committed offsets for.
    public var partitions: [TopicPartition: PartitionLag]
    /// The sum over partitions: the single number dashboards show.
    public var total: Int64 { partitions.values.reduce(0) { $0 + $1.lag } }
}
