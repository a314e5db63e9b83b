import KafkaWire

extension OffsetCommitRequest {
    /// A commit of `offsets` (the next offset to read, per partition) for `group`: by a
    /// member with its generation (member epoch under KIP-848), or with -1 and no member
    /// id from outside the group (manual assignment, the admin client).
    init(group: String, offsets: [TopicPartition: Int64], generation: ConsumerGroupMember.Generation? = nil) {
        self.init(group: group, positions: offsets.mapValues { ConsumedPosition(offset: $0) }, generation: generation)
    }

    /// A commit of `positions`, each with the leader epoch of the record before it
    /// (KIP-320; sent from version 6, -1 when unknown).
    init(group: String, positions: [TopicPartition: ConsumedPosition], generation: ConsumerGroupMember.Generation? = nil) {
        self.init()
        groupId = group
        generationIdOrMemberEpoch = generation?.generationId ?? -1
        memberId = generation?.memberId ?? ""
        topics = Dictionary(grouping: positions, by: \.key.topic).map { topic, entries in
            OffsetCommitRequestTopic(name: topic, partitions: entries.map {
                .init(partitionIndex: $0.key.partition, committedOffset: $0.value.offset, committedLeaderEpoch: $0.value.leaderEpoch)
            })
        }
    }
}
