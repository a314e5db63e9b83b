import KafkaClient
import KafkaTestSupport
import Testing

/// KIP-848 groups described as Kafka 4 describes them, with ConsumerGroupDescribe:
/// member epochs, assignments and targets; a classic group on the same broker still
/// through DescribeGroups (issue: every group went through the classic API, which
/// shows a KIP-848 group without its members' assignments).
@Suite("Admin client: KIP-848 groups described",
       .enabled(if: TestBroker.isKfake, "Tansu has no KIP-848 groups (TANSU.md); runs in scripts/test.sh's kfake pass"))
struct AdminConsumerProtocolGroupTests {
    typealias Groups = ConsumerGroupTests

    @Test("two KIP-848 members: type consumer, epochs, each member's assignment and target; a classic group beside it stays classic")
    func describeBoth() async throws {
        let topic = TestBroker.uniqueTopicName("desc-848")
        let group = TestBroker.uniqueTopicName("g-desc-848")
        let classicGroup = TestBroker.uniqueTopicName("g-desc-classic")
        try await KafkaProducerTests.createTopic(topic, partitions: 4)
        let members = try (0..<2).map { _ in try Groups.member(group: group) { $0.groupProtocol = .consumer } }
        let classic = try Groups.member(group: classicGroup)
        for member in members { try member.subscribe(topics: [topic]) }
        try classic.subscribe(topics: [topic])
        let readers = (members + [classic]).map { Groups.Collector().run($0) }
        #expect(try await Groups.waitUntil(.seconds(40)) {
            Groups.assignmentsSplit(members, partitions: 4) && classic.assignment.count == 4
        })

        let admin = try AdminTopicTests.admin()
        let described = try await admin.describeConsumerGroups([group, classicGroup])
        await admin.close()
        let kip848 = try #require(try described[group]?.get())
        #expect(kip848.type == "consumer")
        #expect((kip848.groupEpoch ?? 0) > 0 && (kip848.assignmentEpoch ?? 0) > 0)
        #expect(kip848.members.count == 2)
        #expect(kip848.members.allSatisfy { ($0.memberEpoch ?? 0) > 0 }, "\(kip848.members)")
        #expect(Set(kip848.members.flatMap(\.assignment)) == Set((0..<Int32(4)).map { TopicPartition(topic: topic, partition: $0) }))
        #expect(Set(kip848.members.map { Set($0.assignment) }) == Set(members.map(\.assignment)))
        #expect(kip848.members.allSatisfy { $0.targetAssignment.map(Set.init) == Set($0.assignment) }, "settled: targets reached")
        let classicDescription = try #require(try described[classicGroup]?.get())
        #expect(classicDescription.type == "classic" && classicDescription.groupEpoch == nil)
        #expect(classicDescription.members.count == 1 && classicDescription.members[0].assignment.count == 4)

        for consumer in members + [classic] { await consumer.close() }
        for reader in readers { await reader.value }
    }
}
