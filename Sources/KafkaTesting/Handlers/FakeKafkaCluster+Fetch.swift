import KafkaWire

extension FakeKafkaCluster {
    /// Fetch: whole batches from each partition's fetch offset, waiting up to
    /// max.wait for min.bytes. Sessions are not granted (session id 0), so every
    /// fetch is a full one; topics are named by id from v13. Under read_committed
    /// nothing at or past the last stable offset is returned, and the answer lists
    /// the aborted transactions the returned batches overlap: the client drops
    /// their records itself, as with Kafka.
    func fetch(_ request: FetchRequest, _ context: RequestContext) -> FetchResponse {
        let maxWait = Double(min(max(request.maxWaitMs, 0), 30_000)) / 1000
        let response = wait(timeout: maxWait) { state, now -> FetchResponse? in
            let (response, bytes, failed) = readPartitions(request, context, state)
            return bytes >= Int(request.minBytes) || failed ? response : nil
        }
        return response ?? state.withLock { readPartitions(request, context, $0).response }
    }

    private func readPartitions(_ request: FetchRequest, _ context: RequestContext,
                                _ state: ClusterState) -> (response: FetchResponse, bytes: Int, failed: Bool) {
        var response = FetchResponse()
        response.throttleTimeMs = context.throttleMs
        var budget = Int(request.maxBytes)
        var total = 0
        var failed = false
        response.responses = request.topics.map { topic in
            var topicResponse = FetchResponse.FetchableTopicResponse()
            let name = context.version >= 13 ? state.topicName(for: topic.topicId) : topic.topic
            if context.version >= 13 { topicResponse.topicId = topic.topicId } else { topicResponse.topic = topic.topic }
            topicResponse.partitions = topic.partitions.map { fetched in
                var data = FetchResponse.FetchableTopicResponse.PartitionData()
                data.partitionIndex = fetched.partition
                data.records = []
                let rack = context.version >= 11 && !request.rackId.isEmpty ? request.rackId : nil
                let served = name.map { name -> Result<ClusterState.Partition, KafkaErrorCode> in
                    let key = PartitionKey(topic: name, partition: fetched.partition)
                    return rack == nil ? state.serving(key, context, currentLeaderEpoch: fetched.currentLeaderEpoch)
                        : state.servingReplica(key, context, currentLeaderEpoch: fetched.currentLeaderEpoch)
                } ?? .failure(context.forcedError ?? .unknownTopicId)
                let error: KafkaErrorCode
                switch served {
                case .failure(let servingError):
                    error = servingError
                case .success(let partition):
                    let log = partition.log
                    data.highWatermark = log.endOffset
                    data.lastStableOffset = log.lastStableOffset
                    data.logStartOffset = log.logStartOffset
                    guard fetched.fetchOffset >= log.logStartOffset, fetched.fetchOffset <= log.endOffset else {
                        error = .offsetOutOfRange
                        break
                    }
                    if let rack, partition.leader == context.broker,
                       let nearest = preferredReadReplica(partition, rack: rack, state: state, leader: context.broker) {
                        // Redirected: the leader names the replica and sends no records.
                        data.preferredReadReplica = nearest
                        return data
                    }
                    let readCommitted = request.isolationLevel == 1
                    let limit = readCommitted ? log.lastStableOffset : nil
                    let (records, end) = budget > 0
                        ? log.readBatches(from: fetched.fetchOffset, maxBytes: min(Int(fetched.partitionMaxBytes), budget), limit: limit)
                        : ([], fetched.fetchOffset)
                    budget -= records.count
                    total += records.count
                    data.records = records
                    data.abortedTransactions = readCommitted
                        ? log.abortedTransactions(from: fetched.fetchOffset, upTo: end).map {
                            FetchResponse.FetchableTopicResponse.PartitionData.AbortedTransaction(producerId: $0.producerId, firstOffset: $0.firstOffset)
                        }
                        : nil
                    return data
                }
                failed = true
                data.errorCode = error.rawValue
                data.highWatermark = -1
                return data
            }
            return topicResponse
        }
        return (response, total, failed)
    }

    /// A running replica other than the leader in `rack`, as a rack-aware replica selector picks.
    private func preferredReadReplica(_ partition: ClusterState.Partition, rack: String, state: ClusterState, leader: Int32) -> Int32? {
        guard configuration.brokerRacks[leader] != rack else { return nil }
        return partition.replicas.first { replica in
            replica != leader && configuration.brokerRacks[replica] == rack && state.broker(replica)?.isRunning == true
        }
    }
}
