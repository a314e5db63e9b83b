import Foundation
import KafkaWire

/// A classic (JoinGroup/SyncGroup) consumer group as its coordinator keeps it: a
/// plain value the request handlers change under the cluster's lock and poll
/// while they wait, so a join completes for every member at once.
struct ClassicGroup: Sendable {
    enum Phase: Sendable, Equatable {
        case empty
        /// Members are (re)joining until all have or `deadline` passes.
        case preparingRebalance(deadline: Double)
        /// Joined; the leader's SyncGroup with the assignments is awaited.
        case completingRebalance
        case stable
    }

    struct Member: Sendable {
        var instanceId: String?
        /// The client id and host of the member's last JoinGroup, for DescribeGroups.
        var clientId = ""
        var clientHost = ""
        var protocols: [(name: String, metadata: [UInt8])]
        var sessionTimeout: Double
        var rebalanceTimeout: Double
        var lastHeartbeat: Double
        var joinedThisRound = false
        /// Set when the round this member joined completes; its JoinGroup then answers.
        var joinResult: JoinGroupResponse?
    }

    private(set) var phase = Phase.empty
    private(set) var generation: Int32 = 0
    private(set) var protocolType: String?
    private(set) var protocolName: String?
    private(set) var leader: String?
    private(set) var members: [String: Member] = [:]
    /// Join order: the first member still present leads.
    private var order: [String] = []
    private(set) var assignments: [String: [UInt8]] = [:]
    private var holdsForInitialDelay = false
    /// How long a new group waits for more members (group.initial.rebalance.delay.ms).
    let initialDelay: Double

    init(initialDelay: Double) { self.initialDelay = initialDelay }

    // MARK: Joining

    /// Adds or updates `memberId` for the next generation and starts a rebalance if
    /// none is under way.
    mutating func join(_ memberId: String, _ request: JoinGroupRequest, now: Double, clientId: String = "", clientHost: String = "") {
        if let instanceId = request.groupInstanceId,
           let previous = members.first(where: { $0.value.instanceId == instanceId && $0.key != memberId })?.key {
            remove(previous)
        }
        if case .preparingRebalance = phase {} else { startRebalance(now: now) }
        var member = members[memberId] ?? Member(instanceId: request.groupInstanceId, protocols: [], sessionTimeout: 0,
                                                 rebalanceTimeout: 0, lastHeartbeat: now)
        member.protocols = request.protocols.map { ($0.name, $0.metadata) }
        member.clientId = clientId
        member.clientHost = clientHost
        member.sessionTimeout = Double(request.sessionTimeoutMs) / 1000
        member.rebalanceTimeout = Double(max(request.rebalanceTimeoutMs, request.sessionTimeoutMs)) / 1000
        member.lastHeartbeat = now
        member.joinedThisRound = true
        member.joinResult = nil
        if members[memberId] == nil { order.append(memberId) }
        members[memberId] = member
        protocolType = request.protocolType
        completeJoinIfReady(now: now)
    }

    /// True when `protocols` can join: the group has no members yet or shares a protocol with all of them.
    func accepts(protocolType: String, protocols: [String]) -> Bool {
        guard !members.isEmpty else { return true }
        return self.protocolType == protocolType && members.values.allSatisfy { member in
            member.protocols.contains { protocols.contains($0.name) }
        }
    }

    mutating func startRebalance(now: Double) {
        // From empty, wait the initial delay so members starting together join one generation.
        holdsForInitialDelay = members.isEmpty
        let wait = holdsForInitialDelay ? initialDelay : members.values.map(\.rebalanceTimeout).max() ?? initialDelay
        phase = .preparingRebalance(deadline: now + wait)
        assignments = [:]
        for id in members.keys {
            members[id]?.joinedThisRound = false
            members[id]?.joinResult = nil
        }
    }

    /// Completes the join round when every member has rejoined (after the initial
    /// delay for a new group) or the rebalance timeout has passed, dropping members
    /// that did not rejoin. Also expires members whose session lapsed.
    mutating func tick(now: Double) {
        let expired = members.filter { _, member in
            // A member waiting in its JoinGroup is not expected to heartbeat.
            if case .preparingRebalance = phase, member.joinedThisRound { return false }
            return now - member.lastHeartbeat > member.sessionTimeout
        }.keys
        for id in expired { remove(id) }
        if !expired.isEmpty {
            if members.isEmpty {
                phase = .empty
                assignments = [:]
            } else if phase == .stable || phase == .completingRebalance {
                startRebalance(now: now)
            }
        }
        completeJoinIfReady(now: now)
    }

    private mutating func completeJoinIfReady(now: Double) {
        guard case .preparingRebalance(let deadline) = phase else { return }
        let everyoneJoined = !members.isEmpty && members.values.allSatisfy(\.joinedThisRound)
        guard (everyoneJoined && !holdsForInitialDelay) || now >= deadline else { return }
        for (id, member) in members where !member.joinedThisRound { remove(id) }
        guard !members.isEmpty else {
            phase = .empty
            return
        }
        generation += 1
        let leaderId = order.first { members[$0] != nil }!
        leader = leaderId
        let candidates = members[leaderId]!.protocols.map(\.name)
        protocolName = candidates.first { name in members.values.allSatisfy { $0.protocols.contains { $0.name == name } } }
        phase = .completingRebalance
        for id in members.keys {
            var response = JoinGroupResponse()
            response.generationId = generation
            response.protocolType = protocolType
            response.protocolName = protocolName
            response.leader = leaderId
            response.memberId = id
            if id == leaderId {
                response.members = order.compactMap { memberId in
                    guard let member = members[memberId] else { return nil }
                    var entry = JoinGroupResponse.JoinGroupResponseMember()
                    entry.memberId = memberId
                    entry.groupInstanceId = member.instanceId
                    entry.metadata = member.protocols.first { $0.name == protocolName }?.metadata ?? []
                    return entry
                }
            }
            members[id]?.joinResult = response
            members[id]?.lastHeartbeat = now
        }
    }

    // MARK: Syncing, heartbeats, leaving

    /// The error for a request naming `memberId` and `generation` in the group's current state, if any.
    func validate(memberId: String, generation: Int32) -> KafkaErrorCode? {
        guard members[memberId] != nil else { return .unknownMemberId }
        guard generation == self.generation else { return .illegalGeneration }
        return nil
    }

    /// The leader's SyncGroup: stores the assignments and makes the group stable.
    mutating func sync(leaderAssignments: [String: [UInt8]]) {
        assignments = leaderAssignments
        phase = .stable
    }

    mutating func heartbeat(_ memberId: String, now: Double) {
        members[memberId]?.lastHeartbeat = now
    }

    /// Removes members that leave; the rest rebalance.
    mutating func leave(_ memberId: String, now: Double) {
        guard members[memberId] != nil else { return }
        remove(memberId)
        if members.isEmpty {
            phase = .empty
            assignments = [:]
        } else if phase == .stable || phase == .completingRebalance {
            startRebalance(now: now)
        } else {
            completeJoinIfReady(now: now)
        }
    }

    /// The state as DescribeGroups and ListGroups name it.
    var stateName: String {
        switch phase {
        case .empty: "Empty"
        case .preparingRebalance: "PreparingRebalance"
        case .completingRebalance: "CompletingRebalance"
        case .stable: "Stable"
        }
    }

    /// Members in join order, for DescribeGroups.
    var membersInJoinOrder: [(id: String, member: Member)] {
        order.compactMap { id in members[id].map { (id, $0) } }
    }

    func memberId(forInstance instanceId: String) -> String? {
        members.first { $0.value.instanceId == instanceId }?.key
    }

    private mutating func remove(_ memberId: String) {
        members[memberId] = nil
        order.removeAll { $0 == memberId }
        if leader == memberId { leader = nil }
    }
}
