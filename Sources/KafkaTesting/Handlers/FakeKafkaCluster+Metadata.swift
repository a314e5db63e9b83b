import KafkaClient
import KafkaWire

extension FakeKafkaCluster {
    /// Metadata: running brokers, and topics with their leaders and epochs; creates
    /// unknown topics when both the request and the cluster allow it.
    func metadata(_ request: MetadataRequest, _ context: RequestContext) -> MetadataResponse {
        state.withLock { state in
            var response = MetadataResponse()
            response.throttleTimeMs = context.throttleMs
            response.clusterId = configuration.clusterId
            response.controllerId = state.runningBrokers.first?.id ?? -1
            response.brokers = state.runningBrokers.map { broker in
                var entry = MetadataResponse.MetadataResponseBroker()
                entry.nodeId = broker.id
                entry.host = "127.0.0.1"
                entry.port = Int32(broker.port)
                entry.rack = configuration.brokerRacks[broker.id]
                return entry
            }
            let requested: [(name: String?, id: KafkaUUID)] = request.topics.map { topics in
                topics.map { ($0.name ?? state.topicName(for: $0.topicId), $0.topicId) }
            } ?? state.topics.keys.sorted().map { ($0, .zero) }
            response.topics = requested.map { name, id in
                if let name, state.topics[name] == nil, request.allowAutoTopicCreation, configuration.autoCreateTopics,
                   TopicNameRules.violation(in: name) == nil {
                    state.createTopic(name, partitions: configuration.defaultPartitions, replicationFactor: 3)
                }
                var entry = MetadataResponse.MetadataResponseTopic()
                entry.name = name
                guard let name, let topic = state.topics[name] else {
                    entry.errorCode = (name == nil ? KafkaErrorCode.unknownTopicId : .unknownTopicOrPartition).rawValue
                    if context.version >= 10 { entry.topicId = id }
                    return entry
                }
                if context.version >= 10 { entry.topicId = topic.id }
                entry.errorCode = context.injectedError(topic: name)?.rawValue ?? 0
                entry.partitions = topic.partitions.enumerated().map { index, partition in
                    var described = MetadataResponse.MetadataResponseTopic.MetadataResponsePartition()
                    described.partitionIndex = Int32(index)
                    // An error aimed at this partition (e.g. LEADER_NOT_AVAILABLE) goes with its entry.
                    described.errorCode = context.targetedErrors[FaultTarget(topic: name, partition: Int32(index))]?.rawValue ?? 0
                    described.leaderId = partition.leader
                    described.leaderEpoch = partition.leaderEpoch
                    described.replicaNodes = partition.replicas
                    described.isrNodes = partition.replicas.filter { state.broker($0)?.isRunning == true }
                    described.offlineReplicas = partition.replicas.filter { state.broker($0)?.isRunning != true }
                    return described
                }
                return entry
            }
            return response
        }
    }

    /// CreateTopics: TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION and INVALID_PARTITIONS as Kafka answers them.
    func createTopics(_ request: CreateTopicsRequest, _ context: RequestContext) -> CreateTopicsResponse {
        state.withLock { state in
            var response = CreateTopicsResponse()
            response.throttleTimeMs = context.throttleMs
            response.topics = request.topics.map { topic in
                var result = CreateTopicsResponse.CreatableTopicResult()
                result.name = topic.name
                let partitions = topic.numPartitions == -1 ? configuration.defaultPartitions : Int(topic.numPartitions)
                let replication = topic.replicationFactor == -1 ? 3 : Int(topic.replicationFactor)
                let error: KafkaErrorCode? = if let forced = context.forcedError { forced }
                    else if state.topics[topic.name] != nil { .topicAlreadyExists }
                    else if TopicNameRules.violation(in: topic.name) != nil { .invalidTopicException }
                    else if partitions <= 0 { .invalidPartitions }
                    else { nil }
                if let error {
                    result.errorCode = error.rawValue
                    result.errorMessage = "\(error)"
                    return result
                }
                if !request.validateOnly { state.createTopic(topic.name, partitions: partitions, replicationFactor: replication) }
                if context.version >= 7, let created = state.topics[topic.name] { result.topicId = created.id }
                if context.version >= 5 {
                    result.numPartitions = Int32(partitions)
                    result.replicationFactor = Int16(min(replication, state.runningBrokers.count))
                }
                return result
            }
            return response
        }
    }

    /// DeleteTopics: by name (by id from v6); the topic's log, offsets included, is gone.
    func deleteTopics(_ request: DeleteTopicsRequest, _ context: RequestContext) -> DeleteTopicsResponse {
        state.withLock { state in
            var response = DeleteTopicsResponse()
            response.throttleTimeMs = context.throttleMs
            let asked: [(name: String?, id: KafkaUUID)] = context.version >= 6
                ? request.topics.map { ($0.name ?? state.topicName(for: $0.topicId), $0.topicId) }
                : request.topicNames.map { ($0, .zero) }
            response.responses = asked.map { name, id in
                var result = DeleteTopicsResponse.DeletableTopicResult()
                result.name = name
                if context.version >= 6 { result.topicId = name.flatMap { state.topics[$0]?.id } ?? id }
                if let forced = context.forcedError {
                    result.errorCode = forced.rawValue
                } else if let name, state.topics.removeValue(forKey: name) != nil {
                    for group in state.committed.keys { state.committed[group] = state.committed[group]?.filter { $0.key.topic != name } }
                    state.pendingOffsets.remove(topic: name)
                } else {
                    result.errorCode = (name == nil ? KafkaErrorCode.unknownTopicId : .unknownTopicOrPartition).rawValue
                }
                return result
            }
            return response
        }
    }
}
