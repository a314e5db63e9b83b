import Foundation
import KafkaTestSupport
import Testing

/// `skcat lineage` as a process against the real broker, after a saga was recorded.
@Suite("skcat lineage")
struct SkcatLineageTests {
    @Test("text and JSON graphs of a recorded saga; an unknown flow exits 1; a malformed id is a usage error")
    func lineage() async throws {
        let lineageTopic = TestBroker.uniqueTopicName("skcat-lin")
        try await SkcatRunner.createTopic(lineageTopic, partitions: 2)
        let correlationId = try await LineageTests.runSaga(lineageTopic: lineageTopic).uuidString.lowercased()
        let brokers = try SkcatRunner.brokers()

        let text = try await SkcatRunner.run(["lineage", correlationId, "-b", brokers, "--topic", lineageTopic])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.lines.first?.hasPrefix("correlation \(correlationId): 4 events, 3 consumptions, end to end ") == true, "\(text.stdout)")
        #expect(text.lines.dropFirst().first == "services: customers -> orders -> inventory -> payments")
        // The causation chain is a tree four levels deep.
        #expect(text.lines.contains { $0.hasPrefix("      PaymentRequestedEvent ") && $0.contains(" by payments to ") }, "\(text.stdout)")
        #expect(text.lines.filter { $0.contains("consumed by") }.count == 3)

        let json = try await SkcatRunner.run(["lineage", correlationId, "-b", brokers, "--topic", lineageTopic, "-J"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["correlationId"] as? String == correlationId)
        #expect(object["services"] as? [String] == LineageTests.services)
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.map { $0["eventType"] as? String } == LineageTests.eventTypes)
        #expect((object["edges"] as? [Any])?.count == 3)
        #expect((object["endToEndMs"] as? Int).map { $0 >= 0 } == true)

        let unknown = try await SkcatRunner.run(["lineage", UUID().uuidString, "-b", brokers, "--topic", lineageTopic])
        #expect(unknown.status == 1 && unknown.stderr.contains("no hops recorded"), "\(unknown.stderr)")
        let malformed = try await SkcatRunner.run(["lineage", "not-a-uuid", "-b", brokers])
        #expect(malformed.status == 2 && malformed.stderr.contains("is not a UUID"), "\(malformed.stderr)")
    }
}
