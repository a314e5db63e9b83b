extension KafkaConsumer {
    /// Consumer settings, named after the Java client's (librdkafka's where it differs).
    public struct Configuration: Sendable {
        /// Where the cluster, its connections and their security come from.
        public var cluster: KafkaClusterConfiguration
        /// The consumer group offsets are committed in (`group.id`).
        public var groupId: String?
        /// What to do when the position is outside the log (`auto.offset.reset`).
        public var autoOffsetReset: KafkaAutoOffsetReset = .latest
        /// Whether records of aborted transactions are skipped (`isolation.level`).
        public var isolationLevel: KafkaIsolationLevel = .readUncommitted
        /// The broker answers once it has this many bytes (`fetch.min.bytes`) ...
        public var fetchMinBytes: Int32 = 1
        /// ... or after this long (`fetch.max.wait.ms`).
        public var fetchMaxWait: Duration = .milliseconds(500)
        /// The most bytes one fetch response may carry (`fetch.max.bytes`).
        public var fetchMaxBytes: Int32 = 52_428_800
        /// The most bytes per partition in one fetch response (`max.partition.fetch.bytes`).
        public var maxPartitionFetchBytes: Int32 = 1_048_576
        /// Memory held by fetched records waiting for the application before fetching
        /// pauses (librdkafka's `queued.max.messages.kbytes`, in bytes here): response
        /// bytes plus decoded records and decompressed payloads. One fetch response per
        /// leader broker (up to `fetchMaxBytes`) may arrive on top of it.
        public var maxPrefetchBytes: Int = 64 * 1024 * 1024
        /// The rack this consumer runs in (`client.rack`, KIP-392), sent with every Fetch. A
        /// cluster with a rack-aware `replica.selector.class` then points the consumer at an
        /// in-sync replica in the same rack, which it reads from (saving cross-zone traffic)
        /// until `metadataMaxAge` passes or that replica fails; nil always reads from leaders.
        public var clientRack: String?
        /// Whether record batch CRCs are checked (`check.crcs`).
        public var checkCRCs: Bool = true
        /// The largest decompressed batch accepted, against decompression bombs.
        public var maxDecompressedBatchSize: Int = 256 * 1024 * 1024

        /// How long the coordinator waits for a heartbeat before evicting this member (`session.timeout.ms`).
        public var sessionTimeout: Duration = .seconds(45)
        /// How long a rebalance may wait for members to rejoin, and how long the application
        /// may go without taking (or waiting for) a message before the member leaves the
        /// group so others take its partitions (`max.poll.interval.ms` in the Java client).
        public var rebalanceTimeout: Duration = .seconds(300)
        /// How often heartbeats go out, on their own schedule (`heartbeat.interval.ms`).
        public var heartbeatInterval: Duration = .seconds(3)
        /// Whether consumed positions are committed periodically and before partitions are revoked (`enable.auto.commit`).
        public var enableAutoCommit: Bool = true
        /// How often auto-commit runs (`auto.commit.interval.ms`).
        public var autoCommitInterval: Duration = .seconds(5)
        /// A stable identity across restarts (`group.instance.id`, KIP-345 static membership).
        public var groupInstanceId: String?
        /// The group protocol (`group.protocol`): the classic JoinGroup/SyncGroup
        /// protocol, or KIP-848's `consumer` protocol, where the broker assigns. A broker
        /// without ConsumerGroupHeartbeat answers the latter with an `.apiNotSupported`
        /// error event, and the consumer stays out of the group.
        public var groupProtocol: KafkaGroupProtocol = .classic
        /// Assignors offered to the group, preferred first (`partition.assignment.strategy`).
        /// The group rebalances cooperatively (KIP-429) when every one of them is
        /// cooperative, as with `[CooperativeStickyAssignor()]`; eagerly otherwise.
        public var partitionAssignors: [any KafkaPartitionAssignor] = [RangeAssignor(), RoundRobinAssignor()]
        /// Runs before partitions are revoked (so the application can commit) and after
        /// new ones are assigned; the rebalance waits for it.
        public var onRebalance: (@Sendable (KafkaConsumerRebalance) async -> Void)?

        /// Defaults for every setting, with these brokers to bootstrap from (`bootstrap.servers`).
        public init(bootstrapServers: [String]) {
            cluster = KafkaClusterConfiguration(bootstrapServers: bootstrapServers)
        }
    }
}

/// Kafka's `group.protocol`.
public enum KafkaGroupProtocol: String, Sendable, Hashable {
    /// JoinGroup, SyncGroup and Heartbeat, with client-side assignment.
    case classic
    /// KIP-848's broker-side assignment through ConsumerGroupHeartbeat.
    case consumer
}

/// A change of the partitions a group member owns.
public enum KafkaConsumerRebalance: Sendable, Hashable {
    /// Newly given to this member.
    case assigned([TopicPartition])
    /// Given up in a rebalance; offsets may still be committed.
    case revoked([TopicPartition])
    /// Taken away without a rebalance (the member was evicted, or fenced): other
    /// members may own them already, so committing is no longer possible.
    case lost([TopicPartition])
}

/// What the consumer reports besides records.
public enum KafkaConsumerEvent: Sendable {
    /// The group gave these partitions to this member.
    case partitionsAssigned([TopicPartition])
    /// A rebalance took these partitions away; offsets were committed first when auto-commit is on.
    case partitionsRevoked([TopicPartition])
    /// These partitions were taken away without a rebalance; their offsets can no longer be committed.
    case partitionsLost([TopicPartition])
    /// A problem the consumer recovers from or reports once, such as an unreachable coordinator.
    case error(KafkaError)
}
