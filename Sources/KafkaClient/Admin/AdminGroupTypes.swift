/// A group as ListGroups reports it.
public struct ConsumerGroupListing: Sendable, Hashable {
    /// The group id.
    public var groupId: String
    /// "consumer" for consumer groups; "" for groups that only commit offsets.
    public var protocolType: String
    /// Stable, PreparingRebalance, CompletingRebalance, Empty, Dead (ListGroups v4+; "" before).
    public var state: String
    /// classic or consumer (ListGroups v5+, KIP-848; "" before).
    public var type: String
}

/// A group's members and what each was assigned.
public struct ConsumerGroupDescription: Sendable, Hashable {
    /// The group id.
    public var groupId: String
    /// Stable, PreparingRebalance, CompletingRebalance, Empty or Dead (KIP-848 groups: Assigning, Reconciling, ...).
    public var state: String
    /// "consumer" for consumer groups.
    public var protocolType: String
    /// The assignor the group chose (range, roundrobin, cooperative-sticky, ...; for a
    /// KIP-848 group the broker's: uniform, range).
    public var assignor: String
    /// The members and their assignments.
    public var members: [MemberDescription]
    /// The ACL operations the caller may perform on the group, when asked for.
    public var authorizedOperations: Set<AclOperation>?
    /// "classic" (JoinGroup/SyncGroup) or "consumer" (KIP-848, described with ConsumerGroupDescribe).
    public var type: String = "classic"
    /// KIP-848: the group's epoch and the epoch of its target assignment; nil for a classic group.
    public var groupEpoch: Int32?
    /// See `groupEpoch`.
    public var assignmentEpoch: Int32?
}

/// A group member.
public struct MemberDescription: Sendable, Hashable {
    /// The member id the coordinator gave.
    public var memberId: String
    /// The static member id (`group.instance.id`), if any.
    public var groupInstanceId: String?
    /// The member's `client.id`.
    public var clientId: String
    /// The host the member connects from.
    public var clientHost: String
    /// The partitions the member owns, decoded from its consumer-protocol assignment.
    public var assignment: [TopicPartition]
    /// KIP-848: the member's epoch and the partitions the broker means it to own
    /// (its target, which `assignment` reaches once revocations elsewhere are done);
    /// nil for a classic group.
    public var memberEpoch: Int32?
    /// See `memberEpoch`.
    public var targetAssignment: [TopicPartition]?
}
