/// Balanced and sticky, for incremental rebalancing (KIP-429): the Java client's
/// and librdkafka's "cooperative-sticky".
///
/// Members keep the partitions they owned as far as balance allows; the rest go
/// to the least loaded subscribers, and partitions then move from the most to the
/// least loaded member until no move narrows the gap (so members with the same
/// subscription end at most one partition apart). A partition whose owner changes
/// is left out of this round: its old owner revokes it and rejoins, and the next
/// rebalance gives it to the new owner, so no partition is ever read by two
/// members at once.
public struct CooperativeStickyAssignor: KafkaPartitionAssignor {
    public var name: String { "cooperative-sticky" }
    public var rebalanceProtocol: KafkaRebalanceProtocol { .cooperative }
    /// The cooperative sticky assignor (`cooperative-sticky`, Java's `CooperativeStickyAssignor`).
    public init() {}

    public func assign(_ members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        let owners = Self.validOwners(members, partitionCounts: partitionCounts)
        var plan = Self.balancedPlan(members, partitionCounts: partitionCounts, owners: owners)
        for (member, partitions) in plan {
            plan[member] = partitions.filter { owners[$0] == nil || owners[$0] == member }
        }
        return plan
    }

    /// Who owns each partition going into the rebalance: claims to partitions that
    /// exist and that the member still subscribes to; the newest generation wins a
    /// partition claimed twice (a member that missed a rebalance), then member order.
    static func validOwners(_ members: [GroupMemberSubscription], partitionCounts: [String: Int32]) -> [TopicPartition: String] {
        var owners: [TopicPartition: String] = [:]
        let claimants = members.sorted { ($1.generation, $0.memberId) < ($0.generation, $1.memberId) }
        for member in claimants {
            let topics = Set(member.topics)
            for partition in member.ownedPartitions where owners[partition] == nil && topics.contains(partition.topic)
                && partition.partition >= 0 && partition.partition < partitionCounts[partition.topic, default: 0] {
                owners[partition] = member.memberId
            }
        }
        return owners
    }

    /// The sticky, balanced target assignment, before cooperative hand-over rules.
    static func balancedPlan(_ members: [GroupMemberSubscription], partitionCounts: [String: Int32],
                             owners: [TopicPartition: String]) -> [String: [TopicPartition]] {
        let subscriptions = Dictionary(uniqueKeysWithValues: members.map { ($0.memberId, Set($0.topics)) })
        let memberIds = subscriptions.keys.sorted()
        var plan = Dictionary(uniqueKeysWithValues: memberIds.map { ($0, [TopicPartition]()) })
        var subscribers: [String: [String]] = [:]
        for topic in Set(members.flatMap(\.topics)) where partitionCounts[topic, default: 0] > 0 {
            subscribers[topic] = memberIds.filter { subscriptions[$0]!.contains(topic) }
        }
        var unowned: [TopicPartition] = []
        for topic in subscribers.keys.sorted() {
            for index in 0..<partitionCounts[topic]! {
                let partition = TopicPartition(topic: topic, partition: index)
                if let owner = owners[partition] { plan[owner]!.append(partition) } else { unowned.append(partition) }
            }
        }
        // Partitions with the fewest possible owners first, while there is room for them.
        unowned.sort { (subscribers[$0.topic]!.count, $0.topic, $0.partition) < (subscribers[$1.topic]!.count, $1.topic, $1.partition) }
        for partition in unowned {
            let target = subscribers[partition.topic]!.min { (plan[$0]!.count, $0) < (plan[$1]!.count, $1) }!
            plan[target]!.append(partition)
        }
        // Each move narrows the gap between two members by two, so this ends.
        var moved = true
        while moved {
            moved = false
            for donor in memberIds.sorted(by: { (plan[$1]!.count, $0) < (plan[$0]!.count, $1) }) {
                let load = plan[donor]!.count
                // Partitions given this round move before long-held ones, newest first.
                for partition in plan[donor]!.reversed().sorted(by: { owners[$0] == nil && owners[$1] != nil }) {
                    let candidates = subscribers[partition.topic]!.filter { plan[$0]!.count <= load - 2 }
                    guard let recipient = candidates.min(by: { (plan[$0]!.count, $0) < (plan[$1]!.count, $1) }) else { continue }
                    plan[donor]!.removeAll { $0 == partition }
                    plan[recipient]!.append(partition)
                    moved = true
                    break
                }
                if moved { break }
            }
        }
        return plan.mapValues { $0.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) } }
    }
}
