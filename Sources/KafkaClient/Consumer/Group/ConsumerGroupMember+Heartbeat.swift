import KafkaWire

/// Heartbeats on their own schedule, with auto-commit and pattern checks riding along.
extension ConsumerGroupMember {
    /// Returns when the member must rejoin (by throwing a `RejoinReason`) or is stopping.
    func heartbeatUntilRejoin(lastContact: inout ContinuousClock.Instant) async throws {
        var lastAutoCommit = ContinuousClock.now
        var lastMetadataCheck = ContinuousClock.now
        var pollWatch = PollWatch(now: .now)
        while !stopping.load(ordering: .acquiring) {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            if stopping.load(ordering: .acquiring) { return }
            guard let current = generation.withLock({ $0 }) else { throw RejoinReason.rebalance }
            do {
                try await sendHeartbeat(current)
            } catch let reason as RejoinReason where reason == .coordinatorMoved {
                // As the Java client does: find the coordinator again and keep heartbeating
                // in the same generation. A rejoin would revoke every partition for nothing.
                await cluster.invalidateCoordinator(group: groupId)
                if lastContact.duration(to: .now) > configuration.sessionTimeout { throw reason }
                continue
            } catch let error as KafkaError where error.isConnectionLevel {
                await cluster.invalidateCoordinator(group: groupId)
                if lastContact.duration(to: .now) > configuration.sessionTimeout { throw error }
                logger.debug("heartbeat lost its connection; retrying", metadata: ["group": "\(groupId)", "error": "\(error)"])
                continue
            }
            lastContact = .now
            consumer.autoCommitIfDue(since: &lastAutoCommit)
            if pollWatch.isStalled(consumer.shared.pollSignature, now: .now, limit: configuration.rebalanceTimeout) {
                throw RejoinReason.pollTimeout
            }
            if lastMetadataCheck.duration(to: .now) >= configuration.cluster.metadataMaxAge {
                lastMetadataCheck = .now
                // A failed metadata refresh is no reason to rebalance: the next check tries again.
                if (try? await subscribedTopicsChanged()) == true { throw RejoinReason.rebalance }
            }
        }
    }

    /// One Heartbeat in `current`'s generation; throws the answer's rejoin reason or error.
    private func sendHeartbeat(_ current: Generation) async throws {
        var request = HeartbeatRequest()
        request.groupId = groupId
        request.generationId = current.generationId
        request.memberId = current.memberId
        let connection = try await cluster.connection(for: .groupCoordinator(groupId))
        let version = try await connection.apiVersions().version(for: HeartbeatRequest.self)
        if version >= 3 { request.groupInstanceId = configuration.groupInstanceId }
        let response = try await connection.send(request, versionCeiling: version)
        try Self.check(response.errorCode, apiKey: .heartbeat, group: groupId)
    }

    /// Maps a group response's error code: rejoin reasons, or a typed error.
    static func check(_ errorCode: Int16, apiKey: ApiKey, group: String) throws {
        switch KafkaErrorCode(errorCode) {
        case .noError: return
        case .rebalanceInProgress: throw RejoinReason.rebalance
        case .unknownMemberId: throw RejoinReason.unknownMember
        case .illegalGeneration: throw RejoinReason.illegalGeneration
        case .notCoordinator, .coordinatorNotAvailable: throw RejoinReason.coordinatorMoved
        case let code: throw KafkaError.broker(code, apiKey: apiKey, message: "group \(group): \(code.message)")
        }
    }
}

extension KafkaError {
    /// The request got no answer: its connection failed or it timed out. The member's
    /// standing in the group is unknown, not lost.
    var isConnectionLevel: Bool {
        switch code.base {
        case .connectionClosed, .requestTimedOut, .ioError, .notConnected: true
        default: false
        }
    }
}
