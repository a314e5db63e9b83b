import KafkaWire

/// Topics: create, delete, list, describe, add partitions.
extension KafkaAdminClient {
    /// Creates `topics` in one request to the controller.
    ///
    /// - Returns: per topic name, the created topic or why it was not created
    ///   (TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, ...).
    ///   Topics the client can tell are invalid are refused without being sent.
    /// - Throws: only when the request as a whole fails (no connection, unsupported API).
    public func createTopics(_ topics: [NewTopic], validateOnly: Bool = false)
        async throws(KafkaError) -> [String: Result<CreatedTopic, KafkaError>] {
        var results: [String: Result<CreatedTopic, KafkaError>] = [:]
        var request = CreateTopicsRequest()
        request.timeoutMs = operationTimeoutMs
        request.validateOnly = validateOnly
        for topic in topics {
            if let problem = Self.problem(with: topic) {
                results[topic.name] = .failure(problem)
                continue
            }
            var creatable = CreateTopicsRequest.CreatableTopic()
            creatable.name = topic.name
            creatable.numPartitions = topic.replicaAssignment.isEmpty ? topic.partitions : -1
            creatable.replicationFactor = topic.replicaAssignment.isEmpty ? topic.replicationFactor : -1
            creatable.assignments = topic.replicaAssignment.sorted { $0.key < $1.key }.map {
                CreateTopicsRequest.CreatableTopic.CreatableReplicaAssignment(partitionIndex: $0.key, brokerIds: $0.value)
            }
            creatable.configs = topic.configs.sorted { $0.key < $1.key }.map {
                CreateTopicsRequest.CreatableTopic.CreatableTopicConfig(name: $0.key, value: $0.value)
            }
            request.topics.append(creatable)
        }
        guard !request.topics.isEmpty else { return results }
        let response = try await cluster.send(request, to: .controller)
        for result in response.topics {
            if let error = Self.itemError(result.errorCode, message: result.errorMessage, api: .createTopics, item: result.name) {
                results[result.name] = .failure(error)
            } else {
                results[result.name] = .success(CreatedTopic(name: result.name, topicId: KafkaTopicID(result.topicId),
                                                             partitions: result.numPartitions,
                                                             replicationFactor: result.replicationFactor))
            }
        }
        for topic in request.topics where results[topic.name] == nil {
            results[topic.name] = .failure(KafkaError(.protocolViolation, detail: "CreateTopics answered nothing for \(topic.name)",
                                                      apiKey: .createTopics))
        }
        return results
    }

    /// Why the broker would refuse `topic`, checked before sending.
    static func problem(with topic: NewTopic) -> KafkaError? {
        if let violation = TopicNameRules.violation(in: topic.name) {
            return invalid(violation, code: .invalidTopicException)
        }
        if topic.replicaAssignment.isEmpty {
            if topic.partitions == 0 || topic.partitions < -1 {
                return invalid("\(topic.name): the partition count must be positive (or -1 for the broker default), not \(topic.partitions)",
                               code: .invalidPartitions)
            }
            if topic.replicationFactor == 0 || topic.replicationFactor < -1 {
                return invalid("\(topic.name): the replication factor must be positive (or -1 for the broker default), "
                               + "not \(topic.replicationFactor)", code: .invalidReplicationFactor)
            }
        } else if topic.partitions != -1 || topic.replicationFactor != -1 {
            return invalid("\(topic.name): give either a replica assignment or partitions and replication factor",
                           code: .invalidRequest)
        }
        return nil
    }

    /// Deletes topics by name.
    ///
    /// - Returns: per topic, success or why not (UNKNOWN_TOPIC_OR_PARTITION, ...).
    public func deleteTopics(_ names: [String]) async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        var request = DeleteTopicsRequest()
        request.timeoutMs = operationTimeoutMs
        request.topicNames = names
        request.topics = names.map { DeleteTopicsRequest.DeleteTopicState(name: $0, topicId: .zero) }
        let response = try await cluster.send(request, to: .controller)
        var results: [String: Result<Void, KafkaError>] = [:]
        for result in response.responses {
            let name = result.name ?? ""
            if let error = Self.itemError(result.errorCode, message: result.errorMessage, api: .deleteTopics, item: name) {
                results[name] = .failure(error)
            } else {
                results[name] = .success(())
            }
        }
        return results
    }

    /// Deletes topics by id (DeleteTopics v6+, KIP-516).
    public func deleteTopics(ids: [KafkaTopicID]) async throws(KafkaError) -> [KafkaTopicID: Result<Void, KafkaError>] {
        var request = DeleteTopicsRequest()
        request.timeoutMs = operationTimeoutMs
        request.topics = ids.map { DeleteTopicsRequest.DeleteTopicState(name: nil, topicId: $0.uuid) }
        let connection = try await cluster.connection(for: .controller)
        guard try await connection.apiVersions().version(for: DeleteTopicsRequest.self) >= 6 else {
            throw KafkaError(.unsupportedVersion, detail: "deleting topics by id needs DeleteTopics v6", apiKey: .deleteTopics)
        }
        let response = try await connection.send(request)
        var results: [KafkaTopicID: Result<Void, KafkaError>] = [:]
        for result in response.responses {
            let id = KafkaTopicID(result.topicId)
            if let error = Self.itemError(result.errorCode, message: result.errorMessage, api: .deleteTopics, item: "\(id)") {
                results[id] = .failure(error)
            } else {
                results[id] = .success(())
            }
        }
        return results
    }

    /// Every topic in the cluster, Kafka's internal ones only with `includeInternal`.
    public func listTopics(includeInternal: Bool = false) async throws(KafkaError) -> [TopicListing] {
        let response = try await metadata(topics: nil, authorizedOperations: false)
        return response.topics.compactMap { topic in
            guard let name = topic.name, includeInternal || !topic.isInternal else { return nil }
            return TopicListing(name: name, topicId: KafkaTopicID(topic.topicId), isInternal: topic.isInternal)
        }.sorted { $0.name < $1.name }
    }

    /// Partitions, leaders, replicas, ISR, topic ids and authorized operations of `names`.
    ///
    /// - Returns: per topic, its description or why not (UNKNOWN_TOPIC_OR_PARTITION, ...).
    public func describeTopics(_ names: [String]) async throws(KafkaError) -> [String: Result<TopicDescription, KafkaError>] {
        var results: [String: Result<TopicDescription, KafkaError>] = [:]
        let valid = names.filter { name in
            guard let violation = TopicNameRules.violation(in: name) else { return true }
            results[name] = .failure(Self.invalid(violation, code: .invalidTopicException))
            return false
        }
        guard !valid.isEmpty else { return results }
        let response = try await metadata(topics: valid, authorizedOperations: true)
        for topic in response.topics {
            guard let name = topic.name else { continue }
            if let error = Self.itemError(topic.errorCode, message: nil, api: .metadata, item: name) {
                results[name] = .failure(error)
                continue
            }
            let partitions = topic.partitions.map(PartitionMetadata.init).sorted { $0.partition < $1.partition }
            results[name] = .success(TopicDescription(name: name, topicId: KafkaTopicID(topic.topicId), isInternal: topic.isInternal,
                                                      partitions: partitions,
                                                      authorizedOperations: AclOperation.set(fromBits: topic.topicAuthorizedOperations)))
        }
        return results
    }

    /// Raises topics' partition counts to the given totals (CreatePartitions).
    public func createPartitions(_ totals: [String: Int32], validateOnly: Bool = false)
        async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        var request = CreatePartitionsRequest()
        request.timeoutMs = operationTimeoutMs
        request.validateOnly = validateOnly
        request.topics = totals.sorted { $0.key < $1.key }.map {
            CreatePartitionsRequest.CreatePartitionsTopic(name: $0.key, count: $0.value, assignments: nil)
        }
        let response = try await cluster.send(request, to: .controller)
        var results: [String: Result<Void, KafkaError>] = [:]
        for result in response.results {
            if let error = Self.itemError(result.errorCode, message: result.errorMessage, api: .createPartitions, item: result.name) {
                results[result.name] = .failure(error)
            } else {
                results[result.name] = .success(())
            }
        }
        return results
    }

    /// Metadata from any broker (v9+ flexible; topic authorized operations from v8).
    func metadata(topics: [String]?, authorizedOperations: Bool) async throws(KafkaError) -> MetadataResponse {
        var request = MetadataRequest()
        request.topics = topics.map { $0.map { MetadataRequest.MetadataRequestTopic(topicId: .zero, name: $0) } }
        request.allowAutoTopicCreation = false
        request.includeTopicAuthorizedOperations = authorizedOperations
        return try await cluster.send(request, to: .anyBroker)
    }
}
