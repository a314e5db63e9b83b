import KafkaWire

/// JoinGroup, the leader's assignment, and SyncGroup.
extension ConsumerGroupMember {
    /// Joins the group's next generation; returns this member's assignment in it.
    func joinAndSync() async throws -> [TopicPartition] {
        let connection = try await cluster.connection(for: .groupCoordinator(groupId))
        let joinVersion = try await connection.apiVersions().version(for: JoinGroupRequest.self)
        var joined: JoinGroupResponse
        while true {
            joined = try await connection.send(joinRequest(version: joinVersion), timeout: configuration.rebalanceTimeout + .seconds(5),
                                               versionCeiling: joinVersion)
            let code = KafkaErrorCode(joined.errorCode)
            if code == .memberIdRequired {
                // KIP-394: the coordinator names our member id; join again with it.
                memberId.withLock { $0 = joined.memberId }
                continue
            }
            if code == .rebalanceInProgress { continue }
            try Self.check(joined.errorCode, apiKey: .joinGroup, group: groupId)
            break
        }
        memberId.withLock { $0 = joined.memberId }
        let protocolName = joined.protocolName ?? assignors.first?.name ?? "range"
        var assignments: [SyncGroupRequest.SyncGroupRequestAssignment] = []
        // KIP-814: a static leader rejoining a stable group keeps the assignment it had.
        if joined.leader == joined.memberId, !joined.skipAssignment {
            assignments = try await leaderAssignments(joined.members, protocolName: protocolName)
        } else {
            assignedPartitionCounts.withLock { $0 = nil }
        }

        let syncVersion = try await connection.apiVersions().version(for: SyncGroupRequest.self)
        var sync = SyncGroupRequest()
        sync.groupId = groupId
        sync.generationId = joined.generationId
        sync.memberId = joined.memberId
        if syncVersion >= 3 { sync.groupInstanceId = configuration.groupInstanceId }
        if syncVersion >= 5 {
            sync.protocolType = "consumer"
            sync.protocolName = protocolName
        }
        sync.assignments = assignments
        let synced = try await connection.send(sync, timeout: configuration.rebalanceTimeout + .seconds(5), versionCeiling: syncVersion)
        try Self.check(synced.errorCode, apiKey: .syncGroup, group: groupId)
        var partitions: [TopicPartition] = []
        if !synced.assignment.isEmpty {
            let assignment = try ConsumerProtocolAssignment.decodeVersioned(synced.assignment).value
            partitions = assignment.assignedPartitions.flatMap { topic in
                topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0) }
            }
        }
        generation.withLock { $0 = Generation(generationId: joined.generationId, memberId: joined.memberId) }
        logger.debug("joined group", metadata: ["group": "\(groupId)", "generation": "\(joined.generationId)",
                                                 "partitions": "\(partitions.count)", "protocol": "\(protocolName)"])
        consumer.fetcher.metrics.rebalances.increment()
        return partitions
    }

    /// JoinGroup with one protocol per assignor, all carrying the same subscription:
    /// the topics, the partitions owned now and the generation they are from
    /// (ConsumerProtocolSubscription v3, which cooperative assignors need and
    /// eager ones ignore).
    func joinRequest(version: Int16) throws -> JoinGroupRequest {
        var request = JoinGroupRequest()
        request.groupId = groupId
        request.sessionTimeoutMs = configuration.sessionTimeout.int32MillisecondsRoundedUp
        if version >= 1 { request.rebalanceTimeoutMs = configuration.rebalanceTimeout.int32MillisecondsRoundedUp }
        request.memberId = memberId.withLock { $0 }
        if version >= 5 { request.groupInstanceId = configuration.groupInstanceId }
        request.protocolType = "consumer"
        var subscription = ConsumerProtocolSubscription()
        subscription.topics = topics.withLock { $0 }
        let owned = self.owned.current
        subscription.ownedPartitions = Dictionary(grouping: owned, by: \.topic).sorted { $0.key < $1.key }.map { topic, entries in
            ConsumerProtocolSubscription.TopicPartition(topic: topic, partitions: entries.map(\.partition).sorted())
        }
        // Owned partitions come from the current generation (losing them clears both).
        subscription.generationId = owned.isEmpty ? -1 : generation.withLock { $0?.generationId } ?? -1
        let metadata = try subscription.encodeVersioned(version: 3)
        request.protocols = assignors.map { JoinGroupRequest.JoinGroupRequestProtocol(name: $0.name, metadata: metadata) }
        return request
    }

    /// The partition count of each of `topics` that exists in `metadata`.
    static func partitionCounts(_ topics: [String], in metadata: ClusterMetadata) -> [String: Int32] {
        var counts: [String: Int32] = [:]
        for topic in topics {
            if let described = metadata.topics[topic], !described.error.isError, !described.partitions.isEmpty {
                counts[topic] = Int32(described.partitions.count)
            }
        }
        return counts
    }

    /// Whether the group must rebalance because the topics it reads changed: a
    /// pattern now matches other topics, or (checked by the leader, which made the
    /// assignment, as in the Java client) a subscribed topic's partition count
    /// changed, so new partitions would otherwise go unread.
    func subscribedTopicsChanged() async throws -> Bool {
        if try await refreshSubscribedTopics() { return true }
        guard let assigned = assignedPartitionCounts.withLock({ $0 }) else { return false }
        let names = Array(assigned.keys)
        guard !names.isEmpty else { return false }
        return Self.partitionCounts(names, in: try await cluster.refreshMetadata(topics: names)) != assigned
    }

    /// As the leader: decodes every member's subscription and runs the agreed assignor.
    func leaderAssignments(_ members: [JoinGroupResponse.JoinGroupResponseMember],
                           protocolName: String) async throws -> [SyncGroupRequest.SyncGroupRequestAssignment] {
        guard let assignor = assignors.first(where: { $0.name == protocolName }) else {
            throw KafkaError(.protocolViolation, detail: "the group chose assignor \(protocolName), which this consumer does not offer")
        }
        var subscriptions: [GroupMemberSubscription] = []
        for member in members {
            let subscription = try ConsumerProtocolSubscription.decodeVersioned(member.metadata).value
            subscriptions.append(GroupMemberSubscription(
                memberId: member.memberId, groupInstanceId: member.groupInstanceId, topics: subscription.topics,
                ownedPartitions: subscription.ownedPartitions.flatMap { owned in
                    owned.partitions.map { TopicPartition(topic: owned.topic, partition: $0) }
                },
                generation: subscription.generationId))
        }
        let allTopics = Array(Set(subscriptions.flatMap(\.topics)))
        let counts = Self.partitionCounts(allTopics, in: try await cluster.refreshMetadata(topics: allTopics))
        assignedPartitionCounts.withLock { $0 = counts }
        let plan = assignor.assign(subscriptions, partitionCounts: counts)
        return try subscriptions.map { member in
            let partitions = plan[member.memberId] ?? []
            let grouped = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, entries in
                ConsumerProtocolAssignment.TopicPartition(topic: topic, partitions: entries.map(\.partition).sorted())
            }
            let bytes = try ConsumerProtocolAssignment(assignedPartitions: grouped).encodeVersioned(version: 0)
            return SyncGroupRequest.SyncGroupRequestAssignment(memberId: member.memberId, assignment: bytes)
        }
    }
}
