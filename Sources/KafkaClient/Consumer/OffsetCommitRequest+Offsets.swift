import KafkaWire

extension OffsetCommitRequest {
    /// A commit of `offsets` (the next offset to read, per partition) for `group`: by a
    /// member with its generation (member epoch under KIP-848), or with -1 and no member
    /// id from outside the group (manual assignment, the admin client).
    init(group: String, offsets: [TopicPartition: Int64], generation: ConsumerGroupMember.Generation? = nil) {
        self.init()
        groupId = group
        generationIdOrMemberEpoch = generation?.generationId ?? -1
        memberId = generation?.memberId ?? ""
        topics = Dictionary(grouping: offsets, by: \.key.topic).map { topic, entries in
            OffsetCommitRequestTopic(name: topic, partitions: entries.map { .init(partitionIndex: $0.key.partition, committedOffset: $0.value) })
        }
    }
}
