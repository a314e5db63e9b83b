import KafkaWire

/// The broker's latest target assignment under KIP-848, which names topics by id,
/// and the names the member has learnt for those ids.
///
/// A topic the member's metadata cannot name yet (just created, or a metadata
/// answer from a broker that lags the controller) is kept, not dropped: its
/// partitions join the assignment once a refresh names it. Names of topics already
/// assigned are remembered here, so a metadata answer that misses one does not
/// revoke partitions the member owns. The Java client's membership manager keeps
/// unresolved topics and its own id-to-name cache the same way.
struct TargetAssignment: Sendable, Equatable {
    /// Partitions by topic id, as the broker sent them.
    private(set) var partitionsByTopic: [KafkaUUID: [Int32]]
    /// Names learnt for the ids of this assignment.
    private(set) var names: [KafkaUUID: String] = [:]

    init(_ assignment: ConsumerGroupHeartbeatResponse.Assignment, previous: TargetAssignment?) {
        var partitions: [KafkaUUID: [Int32]] = [:]
        for topic in assignment.topicPartitions { partitions[topic.topicId, default: []] += topic.partitions }
        partitionsByTopic = partitions
        names = previous?.names.filter { partitions[$0.key] != nil } ?? [:]
    }

    /// Ids still without a name.
    var unresolved: Set<KafkaUUID> { Set(partitionsByTopic.keys.filter { names[$0] == nil }) }

    /// Learns the names `known` gives for this assignment's ids (a name once learnt is kept).
    mutating func learn(_ known: [KafkaUUID: String]) {
        for id in partitionsByTopic.keys where names[id] == nil {
            if let name = known[id] { names[id] = name }
        }
    }

    /// The partitions the member can take on now: those of named topics, sorted.
    var resolvedPartitions: [TopicPartition] {
        partitionsByTopic.flatMap { id, partitions in
            names[id].map { name in partitions.map { TopicPartition(topic: name, partition: $0) } } ?? []
        }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
