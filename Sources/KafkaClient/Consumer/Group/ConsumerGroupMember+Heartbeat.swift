import KafkaWire

/// Heartbeats on their own schedule, with auto-commit and pattern checks riding along.
extension ConsumerGroupMember {
    /// Returns when the member must rejoin (by throwing a `RejoinReason`) or is stopping.
    func heartbeatUntilRejoin(lastContact: inout ContinuousClock.Instant) async throws {
        var lastAutoCommit = ContinuousClock.now
        var lastPatternCheck = ContinuousClock.now
        var pollWatch = PollWatch(now: .now)
        while !stopping.load(ordering: .acquiring) {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            if stopping.load(ordering: .acquiring) { return }
            guard let current = generation.withLock({ $0 }) else { throw RejoinReason.rebalance }
            var request = HeartbeatRequest()
            request.groupId = groupId
            request.generationId = current.generationId
            request.memberId = current.memberId
            let connection = try await cluster.connection(for: .groupCoordinator(groupId))
            let version = try await connection.apiVersions().version(for: HeartbeatRequest.self)
            if version >= 3 { request.groupInstanceId = configuration.groupInstanceId }
            let response = try await connection.send(request, versionCeiling: version)
            try Self.check(response.errorCode, apiKey: .heartbeat, group: groupId)
            lastContact = .now
            await consumer.autoCommitIfDue(since: &lastAutoCommit)
            if pollWatch.isStalled(consumer.shared.pollSignature, now: .now, limit: configuration.rebalanceTimeout) {
                throw RejoinReason.pollTimeout
            }
            if case .pattern = subscription, lastPatternCheck.duration(to: .now) >= configuration.cluster.metadataMaxAge {
                lastPatternCheck = .now
                if try await refreshSubscribedTopics() { throw RejoinReason.rebalance }
            }
        }
    }

    /// Maps a group response's error code: rejoin reasons, or a typed error.
    static func check(_ errorCode: Int16, apiKey: ApiKey, group: String) throws {
        switch KafkaErrorCode(errorCode) {
        case .noError: return
        case .rebalanceInProgress: throw RejoinReason.rebalance
        case .unknownMemberId, .illegalGeneration: throw RejoinReason.unknownMember
        case .notCoordinator, .coordinatorNotAvailable: throw RejoinReason.coordinatorMoved
        case let code: throw KafkaError.broker(code, apiKey: apiKey, message: "group \(group): \(code.message)")
        }
    }
}
