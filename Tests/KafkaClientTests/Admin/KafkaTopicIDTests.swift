import KafkaClient
import Testing

/// `KafkaTopicID`, the admin client's topic id: usable with `import KafkaClient` alone
/// (this file imports nothing else), printed and parsed in the canonical UUID form.
@Suite("KafkaTopicID")
struct KafkaTopicIDTests {
    @Test("an id prints in the 8-4-4-4-12 form and parses back; anything else does not parse")
    func roundTrip() throws {
        let text = "0123abcd-4567-89ef-0123-456789abcdef"
        let id = try #require(KafkaTopicID(text))
        #expect(id.description == text)
        #expect(KafkaTopicID(id.description) == id)
        #expect(KafkaTopicID("orders") == nil)
        #expect(KafkaTopicID("00000000-0000-0000-0000-000000000000") == .zero)
        #expect(id != .zero)
    }
}
