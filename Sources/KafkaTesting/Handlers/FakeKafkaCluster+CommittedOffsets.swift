import KafkaWire

extension FakeKafkaCluster {
    /// OffsetCommit: a group member's commit needs its current generation; a commit
    /// without one (generation -1) is only taken while the group has no members.
    func offsetCommit(_ request: OffsetCommitRequest, _ context: RequestContext) -> OffsetCommitResponse {
        state.withLock { state in
            var response = OffsetCommitResponse()
            response.throttleTimeMs = context.throttleMs
            let groupError: KafkaErrorCode? = {
                if let error = coordinatorError(group: request.groupId, context, state) { return error }
                let group = state.groups[request.groupId]
                if request.generationIdOrMemberEpoch < 0 && request.memberId.isEmpty {
                    return (group?.members.isEmpty ?? true) ? nil : .unknownMemberId
                }
                guard let group else { return .unknownMemberId }
                if let error = group.validate(memberId: request.memberId, generation: request.generationIdOrMemberEpoch) { return error }
                return group.phase == .completingRebalance ? .rebalanceInProgress : nil
            }()
            response.topics = request.topics.map { topic in
                var topicResponse = OffsetCommitResponse.OffsetCommitResponseTopic()
                topicResponse.name = topic.name
                topicResponse.partitions = topic.partitions.map { partition in
                    var result = OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition()
                    result.partitionIndex = partition.partitionIndex
                    let known = state.topics[topic.name].map { Int(partition.partitionIndex) < $0.partitions.count } ?? false
                    if let error = groupError ?? context.injectedError(topic: topic.name, partition: partition.partitionIndex)
                        ?? (known ? nil : .unknownTopicOrPartition) {
                        result.errorCode = error.rawValue
                    } else {
                        let key = PartitionKey(topic: topic.name, partition: partition.partitionIndex)
                        state.committed[request.groupId, default: [:]][key] = ClusterState.CommittedOffset(
                            offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch,
                            metadata: partition.committedMetadata)
                    }
                    return result
                }
                return topicResponse
            }
            return response
        }
    }

    /// OffsetFetch: the committed offsets asked for, or all of a group's; one group
    /// at the top level before v8, a list of groups from v8. With `requireStable`
    /// (v7+, KIP-447) a partition whose offset waits in an open transaction answers
    /// UNSTABLE_OFFSET_COMMIT, so the reader does not start from an offset that may abort.
    func offsetFetch(_ request: OffsetFetchRequest, _ context: RequestContext) -> OffsetFetchResponse {
        state.withLock { state in
            var response = OffsetFetchResponse()
            response.throttleTimeMs = context.throttleMs
            if context.version < 8 {
                let asked = request.topics.map { topics in topics.map { ($0.name, $0.partitionIndexes) } }
                let (error, topics) = committedOffsets(group: request.groupId, asked: asked, context, state)
                let stable = context.version >= 7 && request.requireStable
                if context.version >= 2 { response.errorCode = error?.rawValue ?? 0 }
                response.topics = topics.map { name, partitions in
                    var topic = OffsetFetchResponse.OffsetFetchResponseTopic()
                    topic.name = name
                    topic.partitions = partitions.map { index, committed in
                        var answer = OffsetFetchResponse.OffsetFetchResponseTopic.OffsetFetchResponsePartition()
                        answer.partitionIndex = index
                        answer.committedOffset = committed?.offset ?? -1
                        if context.version >= 5 { answer.committedLeaderEpoch = committed?.leaderEpoch ?? -1 }
                        answer.metadata = committed?.metadata ?? ""
                        answer.errorCode = context.version < 2 ? error?.rawValue ?? 0 : 0
                        if stable, state.hasPendingOffset(group: request.groupId, partition: PartitionKey(topic: name, partition: index)) {
                            answer.committedOffset = -1
                            answer.errorCode = KafkaErrorCode.unstableOffsetCommit.rawValue
                        }
                        return answer
                    }
                    return topic
                }
                return response
            }
            response.groups = request.groups.map { asked in
                var group = OffsetFetchResponse.OffsetFetchResponseGroup()
                group.groupId = asked.groupId
                let wanted = asked.topics.map { topics in topics.map { ($0.name, $0.partitionIndexes) } }
                let (error, topics) = committedOffsets(group: asked.groupId, asked: wanted, context, state)
                group.errorCode = error?.rawValue ?? 0
                group.topics = topics.map { name, partitions in
                    var topic = OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics()
                    topic.name = name
                    topic.partitions = partitions.map { index, committed in
                        var answer = OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions()
                        answer.partitionIndex = index
                        answer.committedOffset = committed?.offset ?? -1
                        answer.committedLeaderEpoch = committed?.leaderEpoch ?? -1
                        answer.metadata = committed?.metadata ?? ""
                        if request.requireStable, state.hasPendingOffset(group: asked.groupId, partition: PartitionKey(topic: name, partition: index)) {
                            answer.committedOffset = -1
                            answer.errorCode = KafkaErrorCode.unstableOffsetCommit.rawValue
                        }
                        return answer
                    }
                    return topic
                }
                return group
            }
            return response
        }
    }

    /// A group's committed offsets for the partitions `asked` (all it has when nil), or why not.
    private func committedOffsets(group: String, asked: [(String, [Int32])]?, _ context: RequestContext, _ state: ClusterState)
        -> (KafkaErrorCode?, [(String, [(Int32, ClusterState.CommittedOffset?)])]) {
        if let error = coordinatorError(group: group, context, state) { return (error, []) }
        let committed = state.committed[group] ?? [:]
        let wanted = asked ?? Dictionary(grouping: committed.keys, by: \.topic).sorted { $0.key < $1.key }
            .map { ($0.key, $0.value.map(\.partition).sorted()) }
        return (nil, wanted.map { name, partitions in
            (name, partitions.map { ($0, committed[PartitionKey(topic: name, partition: $0)]) })
        })
    }
}
