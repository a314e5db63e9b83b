/// The cluster: its id, brokers and controller.
public struct ClusterDescription: Sendable, Hashable {
    public var clusterId: String?
    /// The active controller's node id, when the cluster names one.
    public var controllerId: Int32?
    public var brokers: [BrokerAddress]
    public var authorizedOperations: Set<AclOperation>?
}

/// One log directory of a broker and the partitions in it.
public struct LogDirDescription: Sendable, Hashable {
    public var path: String
    /// Why the directory is unusable (KAFKA_STORAGE_ERROR), if it is.
    public var error: KafkaError?
    /// Bytes per partition replica in this directory.
    public var replicaSizes: [TopicPartition: Int64]
    /// Total and usable bytes of the volume (DescribeLogDirs v4+; nil before).
    public var totalBytes: Int64?
    public var usableBytes: Int64?
}

/// A producer writing to a partition, as its leader knows it (DescribeProducers, KIP-664).
public struct ProducerStateDescription: Sendable, Hashable {
    public var producerId: Int64
    public var producerEpoch: Int32
    public var lastSequence: Int32
    public var lastTimestamp: Int64
    /// The first offset of its open transaction, if one is open.
    public var currentTransactionStartOffset: Int64?
}

/// A transactional id's state at its coordinator (DescribeTransactions, KIP-664).
public struct TransactionDescription: Sendable, Hashable {
    public var transactionalId: String
    /// Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, Dead, PrepareEpochFence.
    public var state: String
    public var timeoutMs: Int32
    public var startTimeMs: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var partitions: [TopicPartition]
}
