/// The cluster: its id, brokers and controller.
public struct ClusterDescription: Sendable, Hashable {
    /// The cluster id; nil from brokers that do not report one.
    public var clusterId: String?
    /// The active controller's node id, when the cluster names one.
    public var controllerId: Int32?
    /// The brokers that are alive.
    public var brokers: [BrokerAddress]
    /// The ACL operations the caller may perform on the cluster, when asked for.
    public var authorizedOperations: Set<AclOperation>?
}

/// One log directory of a broker and the partitions in it.
public struct LogDirDescription: Sendable, Hashable {
    /// The directory's path on the broker.
    public var path: String
    /// Why the directory is unusable (KAFKA_STORAGE_ERROR), if it is.
    public var error: KafkaError?
    /// Bytes per partition replica in this directory.
    public var replicaSizes: [TopicPartition: Int64]
    /// Total and usable bytes of the volume (DescribeLogDirs v4+; nil before).
    public var totalBytes: Int64?
    /// See `totalBytes`.
    public var usableBytes: Int64?
}

/// A producer writing to a partition, as its leader knows it (DescribeProducers, KIP-664).
public struct ProducerStateDescription: Sendable, Hashable {
    /// The producer id.
    public var producerId: Int64
    /// The producer epoch.
    public var producerEpoch: Int32
    /// The sequence number of the producer's last record in the partition.
    public var lastSequence: Int32
    /// The timestamp of that record, in milliseconds since the epoch.
    public var lastTimestamp: Int64
    /// The first offset of its open transaction, if one is open.
    public var currentTransactionStartOffset: Int64?
}

/// A transactional id's state at its coordinator (DescribeTransactions, KIP-664).
public struct TransactionDescription: Sendable, Hashable {
    /// The transactional id.
    public var transactionalId: String
    /// Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, Dead, PrepareEpochFence.
    public var state: String
    /// The transaction timeout (`transaction.timeout.ms`).
    public var timeoutMs: Int32
    /// When the open transaction started, in milliseconds since the epoch; -1 with none open.
    public var startTimeMs: Int64
    /// The producer id the transactional id maps to.
    public var producerId: Int64
    /// The producer epoch.
    public var producerEpoch: Int16
    /// The partitions in the open transaction.
    public var partitions: [TopicPartition]
}
