/// One member's subscription as the group leader sees it.
public struct GroupMemberSubscription: Sendable, Hashable {
    /// The member's id in the group.
    public var memberId: String
    /// The member's static id (`group.instance.id`), if it has one.
    public var groupInstanceId: String?
    /// The topics the member subscribes to.
    public var topics: [String]
    /// Partitions the member owned before this rebalance (cooperative protocols).
    public var ownedPartitions: [TopicPartition]
    /// The generation in which it owned them (-1 when unknown): of two claims to a
    /// partition, the newer generation's wins.
    public var generation: Int32

    /// A member's subscription as an assignor sees it.
    public init(memberId: String, groupInstanceId: String? = nil, topics: [String], ownedPartitions: [TopicPartition] = [],
                generation: Int32 = -1) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.topics = topics
        self.ownedPartitions = ownedPartitions
        self.generation = generation
    }
}

/// How a group hands partitions over in a rebalance (KIP-429).
public enum KafkaRebalanceProtocol: Sendable, Hashable {
    /// Every member gives up every partition before rejoining.
    case eager
    /// Members keep their partitions through the rebalance and give up only the
    /// ones the new assignment moves; a moved partition reaches its new owner in a
    /// second rebalance, after the old owner has let it go.
    case cooperative
}

/// Splits a group's partitions among its members; the leader runs it.
/// The `name` travels in JoinGroup, so it must match the Java client's and
/// librdkafka's for groups that mix clients ("range", "roundrobin").
public protocol KafkaPartitionAssignor: Sendable {
    var name: String { get }
    /// Eager unless the assignor never gives a partition to a new owner while another member still owns it.
    var rebalanceProtocol: KafkaRebalanceProtocol { get }
    /// Partitions per member id. `partitionCounts` has every subscribed topic that exists.
    func assign(_ members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [String: [TopicPartition]]
}

extension KafkaPartitionAssignor {
    /// Eager unless an assignor says otherwise.
    public var rebalanceProtocol: KafkaRebalanceProtocol { .eager }
}

/// Per topic, consecutive ranges of partitions to the members subscribed to it,
/// sorted by member id (instance id first when set); the first `count % members`
/// members get one more. The Java client's and librdkafka's "range".
public struct RangeAssignor: KafkaPartitionAssignor {
    public var name: String { "range" }
    /// The range assignor (`range`, Java's `RangeAssignor`).
    public init() {}

    public func assign(_ members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result = Dictionary(uniqueKeysWithValues: members.map { ($0.memberId, [TopicPartition]()) })
        for topic in Set(members.flatMap(\.topics)).sorted() {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            let subscribers = members.filter { $0.topics.contains(topic) }.sorted(by: Self.memberOrder)
            let share = Int(count) / subscribers.count, extra = Int(count) % subscribers.count
            var next = 0
            for (index, member) in subscribers.enumerated() {
                let take = share + (index < extra ? 1 : 0)
                result[member.memberId, default: []] += (next..<(next + take)).map { TopicPartition(topic: topic, partition: Int32($0)) }
                next += take
            }
        }
        return result
    }

    static func memberOrder(_ first: GroupMemberSubscription, _ second: GroupMemberSubscription) -> Bool {
        (first.groupInstanceId ?? first.memberId, first.memberId) < (second.groupInstanceId ?? second.memberId, second.memberId)
    }
}

/// Every partition of every subscribed topic, sorted by topic and partition, dealt
/// to members (sorted by id) in turn, skipping members not subscribed to the
/// partition's topic. The Java client's and librdkafka's "roundrobin".
public struct RoundRobinAssignor: KafkaPartitionAssignor {
    public var name: String { "roundrobin" }
    /// The round-robin assignor (`roundrobin`, Java's `RoundRobinAssignor`).
    public init() {}

    public func assign(_ members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result = Dictionary(uniqueKeysWithValues: members.map { ($0.memberId, [TopicPartition]()) })
        let sorted = members.sorted { $0.memberId < $1.memberId }
        guard !sorted.isEmpty else { return result }
        var turn = 0
        for topic in Set(members.flatMap(\.topics)).sorted() {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            for partition in 0..<count {
                // The next member in the circle that subscribes to this topic.
                for step in 0..<sorted.count {
                    let member = sorted[(turn + step) % sorted.count]
                    if member.topics.contains(topic) {
                        result[member.memberId, default: []].append(TopicPartition(topic: topic, partition: partition))
                        turn = (turn + step + 1) % sorted.count
                        break
                    }
                }
            }
        }
        return result
    }
}
