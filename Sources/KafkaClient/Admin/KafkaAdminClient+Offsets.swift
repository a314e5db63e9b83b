import KafkaWire

/// Offsets: look them up by time or position; delete records before an offset.
extension KafkaAdminClient {
    /// Looks up offsets, one ListOffsets request per partition leader.
    ///
    /// - Returns: per partition, the offset found or why not.
    public func listOffsets(_ specs: [TopicPartition: OffsetSpec], isolationLevel: KafkaIsolationLevel = .readUncommitted)
        async throws(KafkaError) -> [TopicPartition: Result<ListedOffset, KafkaError>] {
        var results: [TopicPartition: Result<ListedOffset, KafkaError>] = [:]
        let byLeader = try await groupByLeader(Array(specs.keys), failures: &results)
        for (leader, partitions) in byLeader {
            var request = ListOffsetsRequest()
            request.replicaId = -1
            request.isolationLevel = isolationLevel == .readCommitted ? 1 : 0
            request.timeoutMs = operationTimeoutMs
            request.topics = Dictionary(grouping: partitions, by: \.topic).map { topic, entries in
                ListOffsetsRequest.ListOffsetsTopic(name: topic, partitions: entries.map {
                    ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition(partitionIndex: $0.partition, currentLeaderEpoch: -1,
                                                                           timestamp: specs[$0]?.wireTimestamp ?? -1, maxNumOffsets: 1)
                })
            }
            // v1+ answers one offset; v7 adds max timestamp.
            let response = try await cluster.send(request, to: .broker(leader))
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    if let error = Self.itemError(partition.errorCode, message: nil, api: .listOffsets, item: "\(key)") {
                        results[key] = .failure(error)
                    } else {
                        results[key] = .success(ListedOffset(offset: partition.offset, timestamp: partition.timestamp,
                                                             leaderEpoch: partition.leaderEpoch >= 0 ? partition.leaderEpoch : nil))
                    }
                }
            }
        }
        return results
    }

    /// Deletes every record before the given offsets (DeleteRecords: the GDPR erasure
    /// path); -1 deletes up to the high watermark.
    ///
    /// - Returns: per partition, the new log start offset or why not.
    public func deleteRecords(before offsets: [TopicPartition: Int64]) async throws(KafkaError) -> [TopicPartition: Result<Int64, KafkaError>] {
        var results: [TopicPartition: Result<Int64, KafkaError>] = [:]
        let byLeader = try await groupByLeader(Array(offsets.keys), failures: &results)
        for (leader, partitions) in byLeader {
            var request = DeleteRecordsRequest()
            request.timeoutMs = operationTimeoutMs
            request.topics = Dictionary(grouping: partitions, by: \.topic).map { topic, entries in
                DeleteRecordsRequest.DeleteRecordsTopic(name: topic, partitions: entries.map {
                    .init(partitionIndex: $0.partition, offset: offsets[$0] ?? -1)
                })
            }
            let response = try await cluster.send(request, to: .broker(leader))
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    if let error = Self.itemError(partition.errorCode, message: nil, api: .deleteRecords, item: "\(key)") {
                        results[key] = .failure(error)
                    } else {
                        results[key] = .success(partition.lowWatermark)
                    }
                }
            }
        }
        return results
    }

    /// Partitions by their leader's node id; partitions without one fail with UNKNOWN_TOPIC_OR_PARTITION
    /// or LEADER_NOT_AVAILABLE into `failures`.
    func groupByLeader<T>(_ partitions: [TopicPartition], failures: inout [TopicPartition: Result<T, KafkaError>])
        async throws(KafkaError) -> [Int32: [TopicPartition]] {
        let topics = Array(Set(partitions.map(\.topic)))
        guard !topics.isEmpty else { return [:] }
        let metadata = try await cluster.refreshMetadata(topics: topics)
        var byLeader: [Int32: [TopicPartition]] = [:]
        for partition in partitions {
            guard let topic = metadata.topics[partition.topic], !topic.error.isError else {
                let code = metadata.topics[partition.topic]?.error ?? .unknownTopicOrPartition
                failures[partition] = .failure(KafkaError.broker(code.isError ? code : .unknownTopicOrPartition, apiKey: .metadata,
                                                                 message: "\(partition): \(code.message)"))
                continue
            }
            guard let described = topic.partition(partition.partition) else {
                failures[partition] = .failure(KafkaError.broker(.unknownTopicOrPartition, apiKey: .metadata,
                                                                 message: "\(partition): the topic has no such partition"))
                continue
            }
            guard described.leaderId >= 0 else {
                failures[partition] = .failure(KafkaError.broker(.leaderNotAvailable, apiKey: .metadata, message: "\(partition): no leader"))
                continue
            }
            byLeader[described.leaderId, default: []].append(partition)
        }
        return byLeader
    }
}
