import KafkaClient
import KafkaTestSupport
import Synchronization
import Testing

/// `max.poll.interval.ms` under KIP-848 (issue: only the classic member watched it,
/// so a stuck application kept its partitions in a KIP-848 group for ever).
@Suite("KIP-848 groups: a stuck application leaves",
       .enabled(if: TestBroker.isKfake, "Tansu has no KIP-848 groups (TANSU.md); runs in scripts/test.sh's kfake pass"))
struct ConsumerProtocolPollTimeoutTests {
    typealias Groups = ConsumerGroupTests

    @Test("a member whose application stops taking messages leaves after max.poll.interval, and rejoins when it reads again")
    func stuckApplicationLeaves() async throws {
        let topic = TestBroker.uniqueTopicName("stuck-848")
        let group = TestBroker.uniqueTopicName("g-848")
        try await KafkaProducerTests.createTopic(topic, partitions: 4)
        try await KafkaConsumerTests.produce(topic, partitions: 4, count: 20)
        let healthy = try Groups.member(group: group) { $0.groupProtocol = .consumer }
        let stuck = try Groups.member(group: group) {
            $0.groupProtocol = .consumer
            $0.rebalanceTimeout = .seconds(4)
        }
        let healthyReading = Groups.Collector().run(healthy)
        let released = Atomic<Bool>(false)
        // Takes one message, then hangs (as a handler stuck on a lock would) until released.
        let stuckReading = Task {
            var first = true
            do {
                for try await _ in stuck.messages where first {
                    first = false
                    while !released.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(50)) }
                }
            } catch {}
        }
        try healthy.subscribe(topics: [topic])
        try stuck.subscribe(topics: [topic])
        #expect(try await Groups.waitUntil(.seconds(40)) { healthy.assignment.count == 4 && stuck.assignment.isEmpty },
                "healthy \(healthy.assignment.count), stuck \(stuck.assignment.count)")
        #expect(stuck.takeErrors().contains { $0.code == .pollIntervalExceeded })
        released.store(true, ordering: .releasing)
        #expect(try await Groups.waitUntil(.seconds(40)) { Groups.assignmentsSplit([healthy, stuck], partitions: 4) },
                "after resuming: healthy \(healthy.assignment.count), stuck \(stuck.assignment.count)")
        await stuck.close()
        await healthy.close()
        await stuckReading.value
        await healthyReading.value
    }
}
