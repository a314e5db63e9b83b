import KafkaWire

extension FakeKafkaCluster {
    /// DescribeGroups (classic groups): state, protocol type, and members with their
    /// client ids and hosts. As in Kafka, the chosen protocol and each member's
    /// metadata and assignment are shown only while the group is Stable; a group
    /// the coordinator does not know is "Dead" without an error (v0-5).
    func describeGroups(_ request: DescribeGroupsRequest, _ context: RequestContext) -> DescribeGroupsResponse {
        state.withLock { state in
            var response = DescribeGroupsResponse()
            response.throttleTimeMs = context.throttleMs
            response.groups = request.groups.map { groupId in
                var described = DescribeGroupsResponse.DescribedGroup()
                described.groupId = groupId
                if context.version >= 3, request.includeAuthorizedOperations { described.authorizedOperations = Self.groupOperations }
                if let error = coordinatorError(group: groupId, context, state) {
                    described.errorCode = error.rawValue
                    return described
                }
                guard let group = state.groups[groupId] else {
                    // A group known only by its committed offsets (a simple consumer's) is Empty.
                    described.groupState = state.committed[groupId]?.isEmpty == false ? "Empty" : "Dead"
                    return described
                }
                let stable = group.phase == .stable
                described.groupState = group.stateName
                described.protocolType = group.protocolType ?? ""
                described.protocolData = stable ? group.protocolName ?? "" : ""
                described.members = group.membersInJoinOrder.map { id, member in
                    var entry = DescribeGroupsResponse.DescribedGroup.DescribedGroupMember()
                    entry.memberId = id
                    if context.version >= 4 { entry.groupInstanceId = member.instanceId }
                    entry.clientId = member.clientId
                    entry.clientHost = member.clientHost
                    if stable {
                        entry.memberMetadata = member.protocols.first { $0.name == group.protocolName }?.metadata ?? []
                        entry.memberAssignment = group.assignments[id] ?? []
                    }
                    return entry
                }
                return described
            }
            return response
        }
    }

    /// ListGroups: the groups this broker coordinates (so a client asks every broker),
    /// filtered by state (v4+, case-insensitive) and type (v5+; every group here is "classic").
    func listGroups(_ request: ListGroupsRequest, _ context: RequestContext) -> ListGroupsResponse {
        state.withLock { state in
            var response = ListGroupsResponse()
            response.throttleTimeMs = context.throttleMs
            if let forced = context.forcedError {
                response.errorCode = forced.rawValue
                return response
            }
            let withOffsets = state.committed.filter { !$0.value.isEmpty }.keys
            let names = Set(state.groups.keys).union(withOffsets).filter { state.coordinator(for: $0) == context.broker }.sorted()
            let states = Set(request.statesFilter.map { $0.lowercased() })
            let types = Set(request.typesFilter.map { $0.lowercased() })
            response.groups = names.compactMap { name in
                let group = state.groups[name]
                let stateName = group?.stateName ?? "Empty"
                guard states.isEmpty || states.contains(stateName.lowercased()), types.isEmpty || types.contains("classic") else { return nil }
                var listed = ListGroupsResponse.ListedGroup()
                listed.groupId = name
                listed.protocolType = group?.protocolType ?? ""
                if context.version >= 4 { listed.groupState = stateName }
                if context.version >= 5 { listed.groupType = "classic" }
                return listed
            }
            return response
        }
    }

    /// The operations a group allows when no authorizer is configured, as Kafka reports
    /// them: READ (3), DELETE (6), DESCRIBE (8), DESCRIBE_CONFIGS (10) and ALTER_CONFIGS (11).
    static let groupOperations: Int32 = [3, 6, 8, 10, 11].reduce(0) { $0 | 1 << $1 }
}
