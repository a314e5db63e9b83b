import Testing
@testable import KafkaClient

@Suite("cooperative-sticky assignor")
struct CooperativeStickyAssignorTests {
    let assignor = CooperativeStickyAssignor()

    static func partitions(_ topic: String, _ indexes: [Int32]) -> [TopicPartition] {
        indexes.map { TopicPartition(topic: topic, partition: $0) }
    }

    /// Runs rebalances until the plan stops changing, as the group does: each member
    /// owns what it was given, minus nothing (the hand-over round adds the rest).
    func settle(_ members: [GroupMemberSubscription], counts: [String: Int32]) -> (rounds: Int, plan: [String: [TopicPartition]]) {
        var members = members
        for round in 1...5 {
            let plan = assignor.assign(members, partitionCounts: counts)
            let unchanged = members.allSatisfy { Set(plan[$0.memberId] ?? []) == Set($0.ownedPartitions) }
            if unchanged { return (round, plan) }
            for index in members.indices {
                members[index].ownedPartitions = plan[members[index].memberId] ?? []
                members[index].generation += 1
            }
        }
        return (99, [:])
    }

    @Test("a new group splits evenly in one round")
    func freshGroup() {
        let members = ["a", "b", "c"].map { GroupMemberSubscription(memberId: $0, topics: ["t"]) }
        let plan = assignor.assign(members, partitionCounts: ["t": 7])
        #expect(plan.values.map(\.count).sorted() == [2, 2, 3])
        #expect(Set(plan.values.flatMap { $0 }).count == 7)
    }

    @Test("a joining member gets partitions only after their owners let go, and only the ones it needs move")
    func memberJoins() {
        let a = GroupMemberSubscription(memberId: "a", topics: ["t"], ownedPartitions: Self.partitions("t", [0, 1, 2]), generation: 1)
        let b = GroupMemberSubscription(memberId: "b", topics: ["t"], ownedPartitions: Self.partitions("t", [3, 4, 5]), generation: 1)
        let c = GroupMemberSubscription(memberId: "c", topics: ["t"])
        let first = assignor.assign([a, b, c], partitionCounts: ["t": 6])
        // Round one: a and b each give one partition up; c gets nothing yet.
        #expect(first["c"] == [])
        #expect(first["a"]!.count == 2 && Set(first["a"]!).isSubset(of: Set(a.ownedPartitions)))
        #expect(first["b"]!.count == 2 && Set(first["b"]!).isSubset(of: Set(b.ownedPartitions)))
        // Round two: the freed partitions go to c.
        let second = assignor.assign([
            GroupMemberSubscription(memberId: "a", topics: ["t"], ownedPartitions: first["a"]!, generation: 2),
            GroupMemberSubscription(memberId: "b", topics: ["t"], ownedPartitions: first["b"]!, generation: 2),
            GroupMemberSubscription(memberId: "c", topics: ["t"], generation: 2),
        ], partitionCounts: ["t": 6])
        #expect(second["a"] == first["a"] && second["b"] == first["b"])
        #expect(Set(second["c"]!) == Set(Self.partitions("t", [0, 1, 2, 3, 4, 5])).subtracting(first["a"]! + first["b"]!))
    }

    @Test("a member leaving: the others keep theirs and take its partitions in one round")
    func memberLeaves() {
        let a = GroupMemberSubscription(memberId: "a", topics: ["t"], ownedPartitions: Self.partitions("t", [0, 1]), generation: 3)
        let b = GroupMemberSubscription(memberId: "b", topics: ["t"], ownedPartitions: Self.partitions("t", [2, 3]), generation: 3)
        let plan = assignor.assign([a, b], partitionCounts: ["t": 6])
        #expect(Set(plan["a"]!).isSuperset(of: a.ownedPartitions) && Set(plan["b"]!).isSuperset(of: b.ownedPartitions))
        #expect(plan["a"]!.count == 3 && plan["b"]!.count == 3)
    }

    @Test("of two claims to a partition the newer generation wins; partitions that no longer exist are dropped")
    func conflictingClaims() {
        let stale = GroupMemberSubscription(memberId: "a", topics: ["t"], ownedPartitions: Self.partitions("t", [0, 1, 9]), generation: 4)
        let fresh = GroupMemberSubscription(memberId: "b", topics: ["t"], ownedPartitions: Self.partitions("t", [1]), generation: 5)
        let owners = CooperativeStickyAssignor.validOwners([stale, fresh], partitionCounts: ["t": 4])
        #expect(owners == [TopicPartition(topic: "t", partition: 0): "a", TopicPartition(topic: "t", partition: 1): "b"])
    }

    @Test("groups settle balanced within two rounds, each partition once, for many shapes", arguments: [1, 2, 3, 4, 7])
    func settles(memberCount: Int) {
        // Start from an unbalanced ownership: the first member owns everything.
        var members = (0..<memberCount).map { GroupMemberSubscription(memberId: "m\($0)", topics: ["x", "y"]) }
        members[0].ownedPartitions = Self.partitions("x", Array(0..<5)) + Self.partitions("y", Array(0..<8))
        let (rounds, plan) = settle(members, counts: ["x": 5, "y": 8])
        #expect(rounds <= 3, "one round to free, one to hand over, one to confirm")
        let counts = plan.values.map(\.count)
        #expect(counts.max()! - counts.min()! <= 1)
        #expect(plan.values.flatMap { $0 }.count == 13 && Set(plan.values.flatMap { $0 }).count == 13)
    }

    @Test("members with different subscriptions get only their topics")
    func mixedSubscriptions() {
        let members = [GroupMemberSubscription(memberId: "a", topics: ["x"]), GroupMemberSubscription(memberId: "b", topics: ["x", "y"])]
        let plan = assignor.assign(members, partitionCounts: ["x": 2, "y": 4])
        #expect(plan["a"]!.allSatisfy { $0.topic == "x" })
        #expect(Set(plan.values.flatMap { $0 }).count == 6)
        #expect(plan["a"]!.count == 2, "a takes all of x while b holds y")
    }

    @Test("the group is cooperative only when every assignor is")
    func protocolChoice() {
        #expect(CooperativeStickyAssignor().rebalanceProtocol == .cooperative)
        #expect(RangeAssignor().rebalanceProtocol == .eager)
    }
}
