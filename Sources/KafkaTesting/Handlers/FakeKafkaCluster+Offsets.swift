import KafkaWire

extension FakeKafkaCluster {
    /// ListOffsets: earliest (-2), latest (-1), max timestamp (-3) or by timestamp, from
    /// the leader; under read_committed the latest is the last stable offset.
    func listOffsets(_ request: ListOffsetsRequest, _ context: RequestContext) -> ListOffsetsResponse {
        state.withLock { state in
            var response = ListOffsetsResponse()
            response.throttleTimeMs = context.throttleMs
            response.topics = request.topics.map { topic in
                var topicResponse = ListOffsetsResponse.ListOffsetsTopicResponse()
                topicResponse.name = topic.name
                topicResponse.partitions = topic.partitions.map { asked in
                    var answer = ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse()
                    answer.partitionIndex = asked.partitionIndex
                    answer.offset = -1
                    answer.timestamp = -1
                    switch state.serving(PartitionKey(topic: topic.name, partition: asked.partitionIndex), context,
                                        currentLeaderEpoch: asked.currentLeaderEpoch) {
                    case .failure(let error):
                        answer.errorCode = error.rawValue
                    case .success(let partition):
                        (answer.offset, answer.timestamp) = partition.log.offset(forTimestamp: asked.timestamp)
                        if asked.timestamp == -1, request.isolationLevel == 1 { answer.offset = partition.log.lastStableOffset }
                        if context.version >= 4 { answer.leaderEpoch = partition.leaderEpoch }
                    }
                    return answer
                }
                return topicResponse
            }
            return response
        }
    }

    /// OffsetForLeaderEpoch (KIP-320): the end offset of the asked epoch on the leader's log.
    func offsetForLeaderEpoch(_ request: OffsetForLeaderEpochRequest, _ context: RequestContext) -> OffsetForLeaderEpochResponse {
        state.withLock { state in
            var response = OffsetForLeaderEpochResponse()
            response.throttleTimeMs = context.throttleMs
            response.topics = request.topics.map { topic in
                var result = OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult()
                result.topic = topic.topic
                result.partitions = topic.partitions.map { asked in
                    var answer = OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset()
                    answer.partition = asked.partition
                    answer.leaderEpoch = -1
                    answer.endOffset = -1
                    switch state.serving(PartitionKey(topic: topic.topic, partition: asked.partition), context,
                                        currentLeaderEpoch: asked.currentLeaderEpoch) {
                    case .failure(let error):
                        answer.errorCode = error.rawValue
                    case .success(let partition):
                        if let found = partition.log.endOffset(forEpoch: asked.leaderEpoch) {
                            (answer.leaderEpoch, answer.endOffset) = found
                        }
                    }
                    return answer
                }
                return result
            }
            return response
        }
    }

    /// DeleteRecords: moves each partition's log start forward (to the end for -1), on its leader.
    func deleteRecords(_ request: DeleteRecordsRequest, _ context: RequestContext) -> DeleteRecordsResponse {
        state.withLock { state in
            var response = DeleteRecordsResponse()
            response.throttleTimeMs = context.throttleMs
            response.topics = request.topics.map { topic in
                var result = DeleteRecordsResponse.DeleteRecordsTopicResult()
                result.name = topic.name
                result.partitions = topic.partitions.map { asked in
                    var answer = DeleteRecordsResponse.DeleteRecordsTopicResult.DeleteRecordsPartitionResult()
                    answer.partitionIndex = asked.partitionIndex
                    answer.lowWatermark = -1
                    switch state.serving(PartitionKey(topic: topic.name, partition: asked.partitionIndex), context) {
                    case .failure(let error):
                        answer.errorCode = error.rawValue
                    case .success(let partition):
                        let target = asked.offset == -1 ? partition.log.endOffset : asked.offset
                        guard target >= 0, target <= partition.log.endOffset else {
                            answer.errorCode = KafkaErrorCode.offsetOutOfRange.rawValue
                            return answer
                        }
                        state.topics[topic.name]!.partitions[Int(asked.partitionIndex)].log.deleteRecords(before: target)
                        answer.lowWatermark = state.topics[topic.name]!.partitions[Int(asked.partitionIndex)].log.logStartOffset
                    }
                    return answer
                }
                return result
            }
            return response
        }
    }
}
