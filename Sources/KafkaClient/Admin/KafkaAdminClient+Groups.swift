import KafkaWire

/// Consumer groups: list, describe, delete; their committed offsets (list, alter,
/// reset, delete) and their lag.
extension KafkaAdminClient {
    /// Every group of every broker (ListGroups goes to each broker and the answers are merged).
    public func listConsumerGroups() async throws(KafkaError) -> [ConsumerGroupListing] {
        let metadata = try await cluster.refreshMetadata(topics: [])
        var listings: [String: ConsumerGroupListing] = [:]
        for broker in metadata.brokers.keys.sorted() {
            let response = try await cluster.send(ListGroupsRequest(), to: .broker(broker))
            if let error = Self.itemError(response.errorCode, message: nil, api: .listGroups, item: "broker \(broker)") { throw error }
            for group in response.groups {
                listings[group.groupId] = ConsumerGroupListing(groupId: group.groupId, protocolType: group.protocolType,
                                                               state: group.groupState, type: group.groupType)
            }
        }
        return listings.values.sorted { $0.groupId < $1.groupId }
    }

    /// Describes groups, asking each group's coordinator: a KIP-848 group with
    /// ConsumerGroupDescribe (member epochs, assignments and targets), a classic one
    /// with DescribeGroups, as the Java admin client does (ConsumerGroupDescribe first;
    /// GROUP_ID_NOT_FOUND or an older broker means the classic API).
    ///
    /// - Returns: per group, its description or why not (a group that does not exist
    ///   is reported by Kafka as state "Dead" with no members).
    public func describeConsumerGroups(_ groups: [String]) async throws(KafkaError) -> [String: Result<ConsumerGroupDescription, KafkaError>] {
        var results: [String: Result<ConsumerGroupDescription, KafkaError>] = [:]
        for group in groups {
            do throws(KafkaError) {
                if let described = try await describeConsumerProtocolGroup(group) {
                    results[group] = .success(described)
                    continue
                }
            } catch {
                if error.isWholeRequestFailure { throw error }
                results[group] = .failure(error)
                continue
            }
            var request = DescribeGroupsRequest()
            request.groups = [group]
            request.includeAuthorizedOperations = true
            do throws(KafkaError) {
                let response = try await cluster.sendToGroupCoordinator(request, group: group)
                guard let described = response.groups.first(where: { $0.groupId == group }) ?? response.groups.first else {
                    throw KafkaError(.protocolViolation, detail: "DescribeGroups answered nothing for \(group)", apiKey: .describeGroups)
                }
                if let error = Self.itemError(described.errorCode, message: nil, api: .describeGroups, item: group) { throw error }
                results[group] = .success(Self.description(of: described))
            } catch {
                if error.isWholeRequestFailure { throw error }
                results[group] = .failure(error)
            }
        }
        return results
    }

    /// ConsumerGroupDescribe for `group`; nil when the broker lacks the API or the
    /// group is not a KIP-848 group (then DescribeGroups describes it).
    private func describeConsumerProtocolGroup(_ group: String) async throws(KafkaError) -> ConsumerGroupDescription? {
        let connection = try await cluster.connection(for: .groupCoordinator(group))
        guard (try? await connection.apiVersions().version(for: ConsumerGroupDescribeRequest.self)) != nil else { return nil }
        var request = ConsumerGroupDescribeRequest()
        request.groupIds = [group]
        request.includeAuthorizedOperations = true
        let response = try await cluster.sendToGroupCoordinator(request, group: group)
        guard let described = response.groups.first(where: { $0.groupId == group }) ?? response.groups.first else {
            throw KafkaError(.protocolViolation, detail: "ConsumerGroupDescribe answered nothing for \(group)", apiKey: .consumerGroupDescribe)
        }
        let code = KafkaErrorCode(described.errorCode)
        if code == .groupIdNotFound || code == .unsupportedVersion { return nil }
        if let error = Self.itemError(described.errorCode, message: described.errorMessage, api: .consumerGroupDescribe, item: group) {
            throw error
        }
        return Self.description(of: described, topicNames: try await topicNames(missingFrom: described))
    }

    /// Names for the topic ids an answer gives without a name (kfake leaves them out; Kafka fills them in).
    private func topicNames(missingFrom group: ConsumerGroupDescribeResponse.DescribedGroup) async throws(KafkaError) -> [KafkaUUID: String] {
        let assignments = group.members.flatMap { [$0.assignment, $0.targetAssignment] }
        let unnamed = Set(assignments.flatMap(\.topicPartitions).filter { $0.topicName.isEmpty }.map(\.topicId))
        guard !unnamed.isEmpty else { return [:] }
        func names(_ metadata: ClusterMetadata?) -> [KafkaUUID: String] {
            let topics = metadata.map { Array($0.topics.values) } ?? []
            return Dictionary(topics.filter { unnamed.contains($0.topicId) }.map { ($0.topicId, $0.name) },
                              uniquingKeysWith: { first, _ in first })
        }
        let cached = names(await cluster.metadata)
        return cached.count == unnamed.count ? cached : names(try await cluster.refreshMetadata(topics: nil))
    }

    static func description(of group: ConsumerGroupDescribeResponse.DescribedGroup,
                            topicNames: [KafkaUUID: String] = [:]) -> ConsumerGroupDescription {
        func partitions(_ assignment: ConsumerGroupDescribeResponse.Assignment) -> [TopicPartition] {
            assignment.topicPartitions.flatMap { topic in
                let name = topic.topicName.isEmpty ? topicNames[topic.topicId] ?? "\(topic.topicId)" : topic.topicName
                return topic.partitions.map { TopicPartition(topic: name, partition: $0) }
            }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        }
        let members = group.members.map { member in
            MemberDescription(memberId: member.memberId, groupInstanceId: member.instanceId, clientId: member.clientId,
                              clientHost: member.clientHost, assignment: partitions(member.assignment),
                              memberEpoch: member.memberEpoch, targetAssignment: partitions(member.targetAssignment))
        }
        return ConsumerGroupDescription(groupId: group.groupId, state: group.groupState, protocolType: "consumer",
                                        assignor: group.assignorName, members: members,
                                        authorizedOperations: AclOperation.set(fromBits: group.authorizedOperations),
                                        type: "consumer", groupEpoch: group.groupEpoch, assignmentEpoch: group.assignmentEpoch)
    }

    static func description(of group: DescribeGroupsResponse.DescribedGroup) -> ConsumerGroupDescription {
        let members = group.members.map { member in
            let decoded = group.protocolType == "consumer" && !member.memberAssignment.isEmpty
                ? (try? ConsumerProtocolAssignment.decodeVersioned(member.memberAssignment).value) : nil
            let assignment = decoded?.assignedPartitions.flatMap { topic in
                topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0) }
            } ?? []
            return MemberDescription(memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId,
                                     clientHost: member.clientHost, assignment: assignment.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) })
        }
        return ConsumerGroupDescription(groupId: group.groupId, state: group.groupState, protocolType: group.protocolType,
                                        assignor: group.protocolData, members: members,
                                        authorizedOperations: AclOperation.set(fromBits: group.authorizedOperations))
    }

    /// Deletes groups (they must be empty: no active members).
    public func deleteConsumerGroups(_ groups: [String]) async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        var results: [String: Result<Void, KafkaError>] = [:]
        for group in groups {
            var request = DeleteGroupsRequest()
            request.groupsNames = [group]
            do throws(KafkaError) {
                let response = try await cluster.sendToGroupCoordinator(request, group: group)
                let code = response.results.first { $0.groupId == group }?.errorCode ?? response.results.first?.errorCode ?? 0
                results[group] = Self.outcome(code, nil, api: .deleteGroups, item: group)
            } catch {
                if error.isWholeRequestFailure { throw error }
                results[group] = .failure(error)
            }
        }
        return results
    }

    /// The group's committed offsets: every partition it has committed, or only `partitions`.
    public func listConsumerGroupOffsets(group: String, partitions: [TopicPartition]? = nil)
        async throws(KafkaError) -> [TopicPartition: Int64] {
        guard let partitions else {
            do {
                return try await fetchOffsets(group: group, partitions: nil)
            } catch where error.code == .protocolViolation {
                // Some brokers (Tansu) answer "all partitions" with a null list the protocol
                // forbids; asking for every partition of every topic gets the same answer.
                let topics = try await listTopics()
                let every = try await describeTopics(topics.map(\.name)).values.flatMap { described in
                    ((try? described.get()).map { topic in topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.partition) } }) ?? []
                }
                return every.isEmpty ? [:] : try await fetchOffsets(group: group, partitions: every)
            }
        }
        return try await fetchOffsets(group: group, partitions: partitions)
    }

    private func fetchOffsets(group: String, partitions: [TopicPartition]?) async throws(KafkaError) -> [TopicPartition: Int64] {
        var request = OffsetFetchRequest()
        request.groupId = group
        request.topics = partitions.map { wanted in
            Dictionary(grouping: wanted, by: \.topic).map { .init(name: $0.key, partitionIndexes: $0.value.map(\.partition)) }
        }
        let response = try await cluster.sendToGroupCoordinator(request, group: group, versionCeiling: 7)
        if let error = Self.itemError(response.errorCode, message: nil, api: .offsetFetch, item: group) { throw error }
        var offsets: [TopicPartition: Int64] = [:]
        for topic in response.topics {
            for partition in topic.partitions where partition.committedOffset >= 0 {
                offsets[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] = partition.committedOffset
            }
        }
        return offsets
    }

    /// Sets the group's committed offsets (the group must have no active members, as with
    /// `kafka-consumer-groups --reset-offsets`).
    public func alterConsumerGroupOffsets(group: String, offsets: [TopicPartition: Int64])
        async throws(KafkaError) -> [TopicPartition: Result<Void, KafkaError>] {
        let request = OffsetCommitRequest(group: group, offsets: offsets)
        let response = try await cluster.sendToGroupCoordinator(request, group: group, versionCeiling: 8)
        var results: [TopicPartition: Result<Void, KafkaError>] = [:]
        for topic in response.topics {
            for partition in topic.partitions {
                let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                results[key] = Self.outcome(partition.errorCode, nil, api: .offsetCommit, item: "\(key)")
            }
        }
        return results
    }

    /// Moves the group's committed offsets for `partitions` to `spec` (earliest, latest,
    /// a timestamp); `alterConsumerGroupOffsets` sets exact offsets.
    ///
    /// - Returns: per partition, the offset now committed or why not.
    public func resetConsumerGroupOffsets(group: String, partitions: [TopicPartition], to spec: OffsetSpec)
        async throws(KafkaError) -> [TopicPartition: Result<Int64, KafkaError>] {
        var results: [TopicPartition: Result<Int64, KafkaError>] = [:]
        var targets: [TopicPartition: Int64] = [:]
        let listed = try await listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, spec) }))
        for (partition, outcome) in listed {
            switch outcome {
            case .success(let offset): targets[partition] = offset.offset
            case .failure(let error): results[partition] = .failure(error)
            }
        }
        guard !targets.isEmpty else { return results }
        for (partition, outcome) in try await alterConsumerGroupOffsets(group: group, offsets: targets) {
            results[partition] = outcome.map { targets[partition] ?? -1 }
        }
        return results
    }

    /// Removes the group's committed offsets for `partitions` (OffsetDelete, KIP-496).
    public func deleteConsumerGroupOffsets(group: String, partitions: [TopicPartition])
        async throws(KafkaError) -> [TopicPartition: Result<Void, KafkaError>] {
        var request = OffsetDeleteRequest()
        request.groupId = group
        request.topics = Dictionary(grouping: partitions, by: \.topic).map { topic, entries in
            OffsetDeleteRequest.OffsetDeleteRequestTopic(name: topic, partitions: entries.map { .init(partitionIndex: $0.partition) })
        }
        let response = try await cluster.sendToGroupCoordinator(request, group: group)
        if let error = Self.itemError(response.errorCode, message: nil, api: .offsetDelete, item: group) { throw error }
        var results: [TopicPartition: Result<Void, KafkaError>] = [:]
        for topic in response.topics {
            for partition in topic.partitions {
                let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                results[key] = Self.outcome(partition.errorCode, nil, api: .offsetDelete, item: "\(key)")
            }
        }
        return results
    }

    /// The group's lag per partition: end offset minus committed offset, over every
    /// partition the group has committed (or only `partitions`).
    public func consumerGroupLag(group: String, partitions: [TopicPartition]? = nil) async throws(KafkaError) -> ConsumerGroupLag {
        let committed = try await listConsumerGroupOffsets(group: group, partitions: partitions)
        let wanted = partitions ?? Array(committed.keys)
        let ends = try await listOffsets(Dictionary(uniqueKeysWithValues: wanted.map { ($0, OffsetSpec.latest) }))
        let needStarts = wanted.filter { committed[$0] == nil }
        let starts = needStarts.isEmpty ? [:] : try await listOffsets(Dictionary(uniqueKeysWithValues: needStarts.map { ($0, OffsetSpec.earliest) }))
        var lag: [TopicPartition: PartitionLag] = [:]
        for partition in wanted {
            guard case .success(let end) = ends[partition] else { continue }
            let base = committed[partition] ?? ((try? starts[partition]?.get())?.offset ?? 0)
            lag[partition] = PartitionLag(committed: committed[partition], end: end.offset, lag: Self.lag(end: end.offset, from: base))
        }
        return ConsumerGroupLag(group: group, partitions: lag)
    }

    /// Records between `from` and `end`, never negative (a commit past the end after truncation).
    static func lag(end: Int64, from committed: Int64) -> Int64 {
        max(0, end - committed)
    }
}
