import KafkaWire

/// A topic to create.
public struct NewTopic: Sendable, Hashable {
    /// The topic's name.
    public var name: String
    /// The number of partitions; -1 for the broker's `num.partitions`.
    public var partitions: Int32
    /// Replicas per partition; -1 for the broker's `default.replication.factor`.
    public var replicationFactor: Int16
    /// Explicit replicas per partition (broker ids, preferred leader first); when set,
    /// `partitions` and `replicationFactor` must be -1.
    public var replicaAssignment: [Int32: [Int32]]
    /// Topic configurations (`retention.ms`, `cleanup.policy`, ...).
    public var configs: [String: String]

    /// A topic to create; partitions and replication factor default to the broker's.
    public init(name: String, partitions: Int32 = -1, replicationFactor: Int16 = -1,
                replicaAssignment: [Int32: [Int32]] = [:], configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.replicaAssignment = replicaAssignment
        self.configs = configs
    }
}

/// A topic the broker created (or, with `validateOnly`, would create).
public struct CreatedTopic: Sendable, Hashable {
    /// The topic's name.
    public var name: String
    /// The topic id (KIP-516); zero from brokers before CreateTopics v7.
    public var topicId: KafkaTopicID
    /// Partitions and replication factor as created; -1 where the broker did not say.
    public var partitions: Int32
    /// See `partitions`.
    public var replicationFactor: Int16
}

/// A topic in the cluster.
public struct TopicListing: Sendable, Hashable {
    /// The topic's name.
    public var name: String
    /// The topic id (KIP-516).
    public var topicId: KafkaTopicID
    /// True for Kafka's own topics (`__consumer_offsets`, `__transaction_state`).
    public var isInternal: Bool
}

/// A topic, its partitions and what the caller may do with it.
public struct TopicDescription: Sendable, Hashable {
    /// The topic's name.
    public var name: String
    /// The topic id (KIP-516).
    public var topicId: KafkaTopicID
    /// True for Kafka's own topics.
    public var isInternal: Bool
    /// Leaders, replicas, in-sync replicas and epochs, by partition number.
    public var partitions: [PartitionMetadata]
    /// The ACL operations the caller may perform on the topic, when the broker reports them.
    public var authorizedOperations: Set<AclOperation>?
}
