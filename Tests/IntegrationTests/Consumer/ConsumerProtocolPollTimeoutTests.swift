import KafkaClient
import KafkaTestSupport
import Testing

/// `max.poll.interval.ms` under KIP-848 (issue: only the classic member watched it,
/// so a stuck application kept its partitions in a KIP-848 group for ever).
@Suite("KIP-848 groups: a stuck application leaves",
       .enabled(if: TestBroker.isKfake, "Tansu has no KIP-848 groups (TANSU.md); runs in scripts/test.sh's kfake pass"))
struct ConsumerProtocolPollTimeoutTests {
    @Test("a member whose application stops taking messages leaves after max.poll.interval, and rejoins when it reads again")
    func stuckApplicationLeaves() async throws {
        try await CooperativeGroupTests.stuckApplicationLeaves(protocol: .consumer)
    }
}
