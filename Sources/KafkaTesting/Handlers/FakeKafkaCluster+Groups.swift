import Foundation
import KafkaClient
import KafkaWire

extension FakeKafkaCluster {
    /// JoinGroup (v4+): a member without an id gets one with MEMBER_ID_REQUIRED; a
    /// known one joins the next generation and waits until the round completes.
    func joinGroup(_ request: JoinGroupRequest, _ context: RequestContext) -> JoinGroupResponse {
        var response = JoinGroupResponse()
        response.throttleTimeMs = context.throttleMs
        response.generationId = -1
        response.memberId = request.memberId
        if context.version < 7 { response.protocolName = "" }
        let delay = configuration.initialRebalanceDelay.inSeconds
        let admitted: Result<String, KafkaErrorCode> = state.withLock { state in
            if let error = coordinatorError(group: request.groupId, context, state) { return .failure(error) }
            var group = state.groups[request.groupId] ?? ClassicGroup(initialDelay: delay)
            guard group.accepts(protocolType: request.protocolType, protocols: request.protocols.map(\.name)) else {
                return .failure(.inconsistentGroupProtocol)
            }
            var memberId = request.memberId
            if memberId.isEmpty {
                memberId = "member-\(UUID().uuidString.lowercased())"
                if request.groupInstanceId == nil {
                    state.pendingMemberIds.insert(memberId)
                    response.memberId = memberId
                    return .failure(.memberIdRequired)
                }
            } else if group.members[memberId] == nil, state.pendingMemberIds.remove(memberId) == nil {
                return .failure(.unknownMemberId)
            }
            // Kafka reports the host as the peer address with a leading slash; every client here is on loopback.
            group.join(memberId, request, now: Self.now(), clientId: context.clientId, clientHost: "/127.0.0.1")
            state.groups[request.groupId] = group
            return .success(memberId)
        }
        let memberId: String
        switch admitted {
        case .failure(let error):
            response.errorCode = error.rawValue
            return response
        case .success(let admittedId):
            memberId = admittedId
        }
        let timeout = Double(max(request.rebalanceTimeoutMs, request.sessionTimeoutMs)) / 1000 + delay + 1
        let joined = wait(timeout: timeout) { state, now -> Result<JoinGroupResponse, KafkaErrorCode>? in
            state.groups[request.groupId]?.tick(now: now)
            guard let member = state.groups[request.groupId]?.members[memberId] else { return .failure(.unknownMemberId) }
            return member.joinResult.map { .success($0) }
        }
        switch joined {
        case .success(var result):
            result.throttleTimeMs = context.throttleMs
            return result
        case .failure(let error):
            response.errorCode = error.rawValue
        case nil:
            response.errorCode = KafkaErrorCode.rebalanceInProgress.rawValue
        }
        return response
    }

    /// SyncGroup: the leader hands in the assignments; everyone waits for them.
    func syncGroup(_ request: SyncGroupRequest, _ context: RequestContext) -> SyncGroupResponse {
        var response = SyncGroupResponse()
        response.throttleTimeMs = context.throttleMs
        let accepted: KafkaErrorCode? = state.withLock { state in
            if let error = coordinatorError(group: request.groupId, context, state) { return error }
            guard var group = state.groups[request.groupId] else { return .unknownMemberId }
            if let error = group.validate(memberId: request.memberId, generation: request.generationId) { return error }
            if case .preparingRebalance = group.phase { return .rebalanceInProgress }
            if group.phase == .completingRebalance, group.leader == request.memberId {
                group.sync(leaderAssignments: Dictionary(request.assignments.map { ($0.memberId, $0.assignment) }) { $1 })
                state.groups[request.groupId] = group
            }
            return nil
        }
        if let accepted {
            response.errorCode = accepted.rawValue
            return response
        }
        let synced = wait(timeout: 60) { state, _ -> Result<[UInt8], KafkaErrorCode>? in
            guard let group = state.groups[request.groupId] else { return .failure(.unknownMemberId) }
            if let error = group.validate(memberId: request.memberId, generation: request.generationId) { return .failure(error) }
            switch group.phase {
            case .stable: return .success(group.assignments[request.memberId] ?? [])
            case .completingRebalance: return nil
            case .preparingRebalance, .empty: return .failure(.rebalanceInProgress)
            }
        }
        switch synced {
        case .success(let assignment):
            response.assignment = assignment
            let group = state.withLock { $0.groups[request.groupId] }
            if context.version >= 5 {
                response.protocolType = group?.protocolType
                response.protocolName = group?.protocolName
            }
        case .failure(let error):
            response.errorCode = error.rawValue
        case nil:
            response.errorCode = KafkaErrorCode.rebalanceInProgress.rawValue
        }
        return response
    }

    /// Heartbeat: keeps the member's session; REBALANCE_IN_PROGRESS asks it to rejoin.
    func heartbeat(_ request: HeartbeatRequest, _ context: RequestContext) -> HeartbeatResponse {
        state.withLock { state in
            var response = HeartbeatResponse()
            response.throttleTimeMs = context.throttleMs
            let error: KafkaErrorCode? = {
                if let error = coordinatorError(group: request.groupId, context, state) { return error }
                guard state.groups[request.groupId] != nil else { return .unknownMemberId }
                if let error = state.groups[request.groupId]!.validate(memberId: request.memberId, generation: request.generationId) {
                    return error
                }
                state.groups[request.groupId]!.heartbeat(request.memberId, now: Self.now())
                if case .preparingRebalance = state.groups[request.groupId]!.phase { return .rebalanceInProgress }
                return nil
            }()
            response.errorCode = error?.rawValue ?? 0
            return response
        }
    }

    /// LeaveGroup (v3+, by member id or group instance id): the rest of the group rebalances.
    func leaveGroup(_ request: LeaveGroupRequest, _ context: RequestContext) -> LeaveGroupResponse {
        state.withLock { state in
            var response = LeaveGroupResponse()
            response.throttleTimeMs = context.throttleMs
            if let error = coordinatorError(group: request.groupId, context, state) {
                response.errorCode = error.rawValue
                return response
            }
            response.members = request.members.map { leaving in
                var result = LeaveGroupResponse.MemberResponse()
                result.memberId = leaving.memberId
                result.groupInstanceId = leaving.groupInstanceId
                let id = leaving.groupInstanceId.flatMap { state.groups[request.groupId]?.memberId(forInstance: $0) } ?? leaving.memberId
                if state.groups[request.groupId]?.members[id] == nil {
                    result.errorCode = KafkaErrorCode.unknownMemberId.rawValue
                } else {
                    state.groups[request.groupId]!.leave(id, now: Self.now())
                }
                return result
            }
            return response
        }
    }
}
