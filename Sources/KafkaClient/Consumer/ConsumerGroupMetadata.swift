/// Who a consumer is in its group right now: what a transactional producer's
/// `sendOffsetsToTransaction` needs so the coordinator can refuse offsets from
/// a member the group has moved on from (KIP-447).
public struct ConsumerGroupMetadata: Sendable, Hashable {
    /// The group (`group.id`).
    public var groupId: String
    /// The generation the member joined in; -1 outside group membership.
    public var generationId: Int32
    /// The member id the coordinator gave; empty outside group membership.
    public var memberId: String
    /// The static member id (`group.instance.id`, KIP-345), if any.
    public var groupInstanceId: String?

    /// Metadata for `groupId` with no membership (generation -1): offsets are
    /// committed without the coordinator checking a generation.
    public init(groupId: String, generationId: Int32 = -1, memberId: String = "", groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }
}

extension KafkaConsumer {
    /// The consumer's group metadata, for `KafkaProducer.sendOffsetsToTransaction`.
    ///
    /// - Throws: `.invalidConfiguration` without `groupId`.
    public func groupMetadata() throws(KafkaError) -> ConsumerGroupMetadata {
        guard let groupId = configuration.groupId, !groupId.isEmpty else {
            throw KafkaError(.invalidConfiguration, detail: "groupMetadata() needs a groupId")
        }
        let generation = groupGeneration
        return ConsumerGroupMetadata(groupId: groupId, generationId: generation?.generationId ?? -1,
                                     memberId: generation?.memberId ?? "", groupInstanceId: configuration.groupInstanceId)
    }
}
