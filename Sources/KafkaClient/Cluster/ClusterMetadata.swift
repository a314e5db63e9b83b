import KafkaWire

/// What the cluster said about itself in its latest Metadata response:
/// brokers, controller, and per topic its id and partitions with leaders,
/// leader epochs, replicas and in-sync replicas.
package struct ClusterMetadata: Sendable, Hashable {
    /// The cluster's id, when the broker reports one.
    package var clusterId: String?
    /// The controller's node id, or nil when unknown.
    package var controllerId: Int32?
    /// Every live broker by node id.
    package var brokers: [Int32: BrokerAddress]
    /// Topics by name: those asked for, or all of them for a full refresh.
    package var topics: [String: TopicMetadata]

    package init(clusterId: String? = nil, controllerId: Int32? = nil, brokers: [Int32: BrokerAddress] = [:],
                topics: [String: TopicMetadata] = [:]) {
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers
        self.topics = topics
    }

    /// Reads a Metadata response (any version).
    package init(_ response: MetadataResponse) {
        clusterId = response.clusterId
        controllerId = response.controllerId >= 0 ? response.controllerId : nil
        brokers = Dictionary(response.brokers.map {
            ($0.nodeId, BrokerAddress(nodeId: $0.nodeId, host: $0.host, port: Int($0.port), rack: $0.rack))
        }, uniquingKeysWith: { _, latest in latest })
        var topics: [String: TopicMetadata] = [:]
        for topic in response.topics {
            guard let name = topic.name else { continue }
            topics[name] = TopicMetadata(topic)
        }
        self.topics = topics
    }

    /// The leader of `topic`'s `partition`, when the metadata knows a live one.
    package func leader(topic: String, partition: Int32) -> BrokerAddress? {
        guard let leader = topics[topic]?.partition(partition)?.leaderId, leader >= 0 else { return nil }
        return brokers[leader]
    }

    /// This metadata updated with a newer response: brokers and controller are
    /// replaced, topics in `newer` replace their old entries, others are kept.
    package func merging(_ newer: ClusterMetadata) -> ClusterMetadata {
        var merged = newer
        merged.clusterId = newer.clusterId ?? clusterId
        for (name, topic) in topics where merged.topics[name] == nil {
            merged.topics[name] = topic
        }
        return merged
    }
}

/// Where a broker listens.
public struct BrokerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The broker's node id.
    public var nodeId: Int32
    /// The host the broker advertises.
    public var host: String
    /// The port the broker advertises.
    public var port: Int
    /// The broker's rack (`broker.rack`), if it has one.
    public var rack: String?

    /// A broker's address.
    public init(nodeId: Int32, host: String, port: Int, rack: String? = nil) {
        self.nodeId = nodeId
        self.host = host
        self.port = port
        self.rack = rack
    }

    /// `id@host:port`.
    public var description: String { "\(nodeId)@\(host):\(port)" }
}

/// One topic's metadata.
package struct TopicMetadata: Sendable, Hashable {
    package var name: String
    /// The topic's id (zero before Kafka 2.8).
    package var topicId: KafkaUUID
    package var isInternal: Bool
    /// The topic-level error (for example UNKNOWN_TOPIC_OR_PARTITION), `.noError` when fine.
    package var error: KafkaErrorCode
    /// Partitions, sorted by index.
    package var partitions: [PartitionMetadata]

    package init(name: String, topicId: KafkaUUID = .zero, isInternal: Bool = false, error: KafkaErrorCode = .noError,
                partitions: [PartitionMetadata] = []) {
        self.name = name
        self.topicId = topicId
        self.isInternal = isInternal
        self.error = error
        self.partitions = partitions.sorted { $0.partition < $1.partition }
    }

    init(_ topic: MetadataResponse.MetadataResponseTopic) {
        self.init(name: topic.name ?? "", topicId: topic.topicId, isInternal: topic.isInternal, error: KafkaErrorCode(topic.errorCode),
                  partitions: topic.partitions.map(PartitionMetadata.init))
    }

    /// The partition with index `partition`, if the topic has it.
    package func partition(_ partition: Int32) -> PartitionMetadata? {
        // Partitions are normally dense 0..<n, so try the direct index first.
        if partition >= 0, Int(partition) < partitions.count, partitions[Int(partition)].partition == partition {
            return partitions[Int(partition)]
        }
        return partitions.first { $0.partition == partition }
    }
}

/// One partition's metadata.
public struct PartitionMetadata: Sendable, Hashable {
    /// The partition number.
    public var partition: Int32
    /// The leader's node id; -1 while the partition has no leader.
    public var leaderId: Int32
    /// The leader epoch (-1 when the broker does not report one).
    public var leaderEpoch: Int32
    /// The node ids of the replicas, preferred leader first.
    public var replicas: [Int32]
    /// The node ids of the in-sync replicas.
    public var inSyncReplicas: [Int32]
    /// The node ids of replicas that are offline.
    public var offlineReplicas: [Int32]
    /// The partition-level error (for example LEADER_NOT_AVAILABLE).
    public var error: KafkaErrorCode

    /// A partition's metadata.
    public init(partition: Int32, leaderId: Int32, leaderEpoch: Int32 = -1, replicas: [Int32] = [], inSyncReplicas: [Int32] = [],
                offlineReplicas: [Int32] = [], error: KafkaErrorCode = .noError) {
        self.partition = partition
        self.leaderId = leaderId
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.inSyncReplicas = inSyncReplicas
        self.offlineReplicas = offlineReplicas
        self.error = error
    }

    init(_ partition: MetadataResponse.MetadataResponseTopic.MetadataResponsePartition) {
        self.init(partition: partition.partitionIndex, leaderId: partition.leaderId, leaderEpoch: partition.leaderEpoch,
                  replicas: partition.replicaNodes, inSyncReplicas: partition.isrNodes, offlineReplicas: partition.offlineReplicas,
                  error: KafkaErrorCode(partition.errorCode))
    }
}
