/// A group as ListGroups reports it.
public struct ConsumerGroupListing: Sendable, Hashable {
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
    public var groupId: String
    public var state: String
    public var protocolType: String
    /// The assignor the group chose (range, roundrobin, cooperative-sticky, ...).
    public var assignor: String
    public var members: [MemberDescription]
    public var authorizedOperations: Set<AclOperation>?
}

/// A group member.
public struct MemberDescription: Sendable, Hashable {
    public var memberId: String
    public var groupInstanceId: String?
    public var clientId: String
    public var clientHost: String
    /// The partitions the member owns, decoded from its consumer-protocol assignment.
    public var assignment: [TopicPartition]
}
