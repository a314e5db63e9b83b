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
                    if let error = groupError ?? (known ? nil : .unknownTopicOrPartition) {
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

    /// OffsetFetch (v8+, batched groups): the committed offsets asked for, or all of a group's.
    func offsetFetch(_ request: OffsetFetchRequest, _ context: RequestContext) -> OffsetFetchResponse {
        state.withLock { state in
            var response = OffsetFetchResponse()
            response.throttleTimeMs = context.throttleMs
            response.groups = request.groups.map { asked in
                var group = OffsetFetchResponse.OffsetFetchResponseGroup()
                group.groupId = asked.groupId
                if let error = coordinatorError(group: asked.groupId, context, state) {
                    group.errorCode = error.rawValue
                    return group
                }
                let committed = state.committed[asked.groupId] ?? [:]
                let wanted: [(String, [Int32])] = asked.topics.map { topics in topics.map { ($0.name, $0.partitionIndexes) } }
                    ?? Dictionary(grouping: committed.keys, by: \.topic).sorted { $0.key < $1.key }
                        .map { ($0.key, $0.value.map(\.partition).sorted()) }
                group.topics = wanted.map { name, partitions in
                    var topic = OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics()
                    topic.name = name
                    topic.partitions = partitions.map { index in
                        var answer = OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions()
                        answer.partitionIndex = index
                        let offset = committed[PartitionKey(topic: name, partition: index)]
                        answer.committedOffset = offset?.offset ?? -1
                        answer.committedLeaderEpoch = offset?.leaderEpoch ?? -1
                        answer.metadata = offset?.metadata ?? ""
                        return answer
                    }
                    return topic
                }
                return group
            }
            return response
        }
    }
}
