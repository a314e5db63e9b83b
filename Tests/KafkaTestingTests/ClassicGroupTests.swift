@testable import KafkaTesting
import KafkaWire
import Testing

/// The fake coordinator's classic group state machine, driven with explicit times.
@Suite("Fake cluster: classic group")
struct ClassicGroupTests {
    static func request(session: Int32 = 1_000, rebalance: Int32 = 2_000, instance: String? = nil) -> JoinGroupRequest {
        var request = JoinGroupRequest()
        request.groupId = "g"
        request.sessionTimeoutMs = session
        request.rebalanceTimeoutMs = rebalance
        request.groupInstanceId = instance
        request.protocolType = "consumer"
        request.protocols = [JoinGroupRequest.JoinGroupRequestProtocol(name: "range", metadata: [1])]
        return request
    }

    @Test("a new group waits the initial delay, then answers every member; the first to join leads")
    func firstGeneration() {
        var group = ClassicGroup(initialDelay: 0.1)
        group.join("a", Self.request(), now: 0)
        group.join("b", Self.request(), now: 0.05)
        #expect(group.members["a"]?.joinResult == nil)
        group.tick(now: 0.11)
        #expect(group.generation == 1)
        #expect(group.phase == .completingRebalance)
        #expect(group.members["a"]?.joinResult?.members.map(\.memberId) == ["a", "b"])
        #expect(group.members["b"]?.joinResult?.members.isEmpty == true)
        #expect(group.members["b"]?.joinResult?.leader == "a")
        #expect(group.members["b"]?.joinResult?.protocolName == "range")
        group.sync(leaderAssignments: ["a": [1], "b": [2]])
        #expect(group.phase == .stable)
        #expect(group.validate(memberId: "b", generation: 1) == nil)
        #expect(group.validate(memberId: "b", generation: 0) == .illegalGeneration)
        #expect(group.validate(memberId: "z", generation: 1) == .unknownMemberId)
    }

    @Test("a member joining a stable group starts a rebalance that completes once everyone has rejoined")
    func rejoin() {
        var group = ClassicGroup(initialDelay: 0)
        group.join("a", Self.request(), now: 0)
        group.tick(now: 0)
        group.sync(leaderAssignments: [:])
        group.join("b", Self.request(), now: 1)
        #expect(group.phase == .preparingRebalance(deadline: 3))
        #expect(group.members["b"]?.joinResult == nil)
        group.join("a", Self.request(), now: 1.5)
        #expect(group.generation == 2)
        #expect(group.members["b"]?.joinResult?.generationId == 2)
    }

    @Test("members that don't rejoin in time are dropped; silent members expire and the rest rebalance")
    func timeouts() {
        var group = ClassicGroup(initialDelay: 0)
        group.join("a", Self.request(), now: 0)
        group.join("b", Self.request(), now: 0)
        group.tick(now: 0)
        group.sync(leaderAssignments: [:])
        group.join("a", Self.request(), now: 0.5)   // b heartbeats but never rejoins
        group.heartbeat("b", now: 1)
        group.heartbeat("b", now: 2)
        group.tick(now: 2.4)
        #expect(group.generation == 1)
        group.tick(now: 2.6)
        #expect(group.generation == 2)
        #expect(Array(group.members.keys) == ["a"])
        group.sync(leaderAssignments: [:])
        group.heartbeat("a", now: 3)
        group.tick(now: 3.9)
        #expect(group.phase == .stable)
        group.tick(now: 4.1)
        #expect(group.members.isEmpty)
        #expect(group.phase == .empty)
    }

    @Test("a leaving member triggers a rebalance; a static member rejoining under a new id replaces its old one")
    func leaveAndStatic() {
        var group = ClassicGroup(initialDelay: 0)
        group.join("a", Self.request(instance: "i-1"), now: 0)
        group.join("b", Self.request(), now: 0)
        group.tick(now: 0)
        group.sync(leaderAssignments: [:])
        group.leave("b", now: 1)
        #expect(group.members["b"] == nil)
        if case .preparingRebalance = group.phase {} else { Issue.record("expected a rebalance, got \(group.phase)") }
        group.join("a2", Self.request(instance: "i-1"), now: 1.1)
        #expect(group.members["a"] == nil)
        #expect(group.memberId(forInstance: "i-1") == "a2")
        #expect(group.members["a2"]?.joinResult?.generationId == 2)
    }
}
