import Foundation
import Testing
@testable import KafkaTracking

@Suite("Tracking: lineage hops and the graph rebuilt from them, without a broker")
struct LineageGraphTests {
    static let flow = UUID(uuidString: "0a0b0c0d-0e0f-4011-8213-141516171819")!
    static let other = UUID(uuidString: "99999999-0e0f-4011-8213-141516171819")!
    static let ids = (1...4).map { UUID(uuidString: "00000000-0000-4000-8000-00000000000\($0)")! }

    /// A saga of three services: orders -> payments -> shipping, produced at 1000, 1010, 1030.
    static func saga() -> [LineageHop] {
        let placed = LineageMetadata(eventId: ids[0], correlationId: flow, sourceService: "orders", eventType: "OrderPlaced",
                                     producedAt: 1000)
        let paid = LineageMetadata(eventId: ids[1], correlationId: flow, causationId: ids[0], sourceService: "payments",
                                   eventType: "PaymentTaken", producedAt: 1010)
        let shipped = LineageMetadata(eventId: ids[2], correlationId: flow, causationId: ids[1], sourceService: "shipping",
                                      eventType: "Shipped", producedAt: 1030)
        return [
            .produced(placed, topic: "orders", partition: 0),
            .consumed(placed, by: "payments", consumerGroup: "pay", topic: "orders", partition: 0, offset: 7, at: 1004),
            .produced(paid, topic: "payments", partition: 2, offset: 3),
            .consumed(paid, by: "shipping", consumerGroup: "ship", topic: "payments", partition: 2, offset: 3, at: 1025),
            .produced(shipped, topic: "shipments", partition: 1),
            .consumed(shipped, by: "mailer", consumerGroup: nil, topic: "shipments", partition: 1, offset: 0, at: 1050),
        ]
    }

    @Test("hops round-trip through the record value; compact keys; absent fields stay out")
    func hopRoundTrip() throws {
        for hop in Self.saga() {
            #expect(LineageHop.decode(hop.encoded()) == hop)
        }
        let text = String(decoding: Self.saga()[0].encoded(), as: UTF8.self)
        #expect(text.contains("\"corr\":\"0a0b0c0d-0e0f-4011-8213-141516171819\""))
        #expect(!text.contains("cause") && !text.contains("group") && !text.contains("offset"))
        #expect(LineageHop.decode(Array("{\"kind\":\"produce\"}".utf8)) == nil)
        #expect(LineageHop.decode(Array("not json".utf8)) == nil)
    }

    @Test("the saga's events in order, each with its producer, consumers, latencies and cause")
    func sagaGraph() {
        // Hops of another flow mixed in are left out.
        let stray = LineageHop.produced(LineageMetadata(correlationId: Self.other, sourceService: "x", producedAt: 1), topic: "t", partition: 0)
        let graph = LineageGraph(correlationId: Self.flow, hops: [stray] + Self.saga())
        #expect(graph.hops.count == 6)
        #expect(graph.events.map(\.eventId) == Array(Self.ids[0...2]))
        #expect(graph.events.map(\.producer) == ["orders", "payments", "shipping"])
        #expect(graph.events.map { $0.consumptions.map(\.service) } == [["payments"], ["shipping"], ["mailer"]])
        #expect(graph.events.map { $0.consumptions.map(\.latency) } == [[.milliseconds(4)], [.milliseconds(15)], [.milliseconds(20)]])
        #expect(graph.events.map(\.offset) == [7, 3, 0], "offsets from the consume hop when the produce hop had none")
        #expect(graph.edges == [LineageGraph.Edge(cause: Self.ids[0], effect: Self.ids[1]),
                                LineageGraph.Edge(cause: Self.ids[1], effect: Self.ids[2])])
        #expect(graph.services == ["orders", "payments", "shipping", "mailer"])
        #expect(graph.roots.map(\.eventId) == [Self.ids[0]])
        #expect(graph.effects(of: Self.ids[1]).map(\.eventId) == [Self.ids[2]])
        #expect(graph.endToEnd == .milliseconds(50))
    }

    @Test("an event known only from its consumption; a consumption before production (clock skew) counts as zero")
    func partialAndSkewed() {
        let lonely = LineageMetadata(eventId: Self.ids[3], correlationId: Self.flow, sourceService: "legacy", producedAt: 2000)
        let graph = LineageGraph(correlationId: Self.flow, hops: [
            .consumed(lonely, by: "audit", consumerGroup: "a", topic: "old", partition: 4, offset: 12, at: 1990),
            .consumed(lonely, by: "audit", consumerGroup: "a", topic: "old", partition: 4, offset: 12, at: 2005),
        ])
        #expect(graph.events.count == 1)
        let event = graph.events[0]
        #expect(!event.produceRecorded && event.producer == "legacy" && event.topic == "old" && event.partition == 4 && event.offset == 12)
        #expect(event.consumptions.map(\.latency) == [.zero, .milliseconds(5)], "redeliveries are kept")
        #expect(graph.endToEnd == .milliseconds(5))
        #expect(LineageGraph(correlationId: Self.flow, hops: []).endToEnd == nil)
    }

    @Test("text: summary, services, and the causation tree indented by depth")
    func text() {
        let lines = LineageGraph(correlationId: Self.flow, hops: Self.saga()).text.split(separator: "\n").map(String.init)
        #expect(lines == [
            "correlation 0a0b0c0d-0e0f-4011-8213-141516171819: 3 events, 3 consumptions, end to end 50 ms",
            "services: orders -> payments -> shipping -> mailer",
            "OrderPlaced 00000000 by orders to orders[0]@7 +0 ms",
            "  consumed by payments (group pay) after 4 ms",
            "  PaymentTaken 00000000 by payments to payments[2]@3 +10 ms",
            "    consumed by shipping (group ship) after 15 ms",
            "    Shipped 00000000 by shipping to shipments[1]@0 +30 ms",
            "      consumed by mailer after 20 ms",
        ])
        #expect(LineageGraph(correlationId: Self.flow, hops: []).text.hasSuffix("no hops recorded for this correlation id"))
    }

    @Test("JSON: lowercase ids, edges, latencies in milliseconds")
    func json() throws {
        let data = Data(LineageGraph(correlationId: Self.flow, hops: Self.saga()).json.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["correlationId"] as? String == "0a0b0c0d-0e0f-4011-8213-141516171819")
        #expect(object["endToEndMs"] as? Int == 50)
        #expect(object["services"] as? [String] == ["orders", "payments", "shipping", "mailer"])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.map { $0["eventType"] as? String } == ["OrderPlaced", "PaymentTaken", "Shipped"])
        #expect(events[1]["causationId"] as? String == "00000000-0000-4000-8000-000000000001")
        let consumptions = try #require(events[1]["consumptions"] as? [[String: Any]])
        #expect(consumptions.first?["latencyMs"] as? Int == 15 && consumptions.first?["consumerGroup"] as? String == "ship")
        #expect((object["edges"] as? [[String: String]])?.count == 2)
    }

    @Test("a dead-letter hop shows where an event ended: the service, the dead-letter topic and the error's type")
    func deadLetterHop() throws {
        let placed = LineageMetadata(eventId: Self.ids[0], correlationId: Self.flow, sourceService: "orders", eventType: "OrderPlaced",
                                     producedAt: 1000)
        let hops: [LineageHop] = [
            .produced(placed, topic: "orders", partition: 0, offset: 5),
            .consumed(placed, by: "payments", consumerGroup: "pay", topic: "orders", partition: 0, offset: 5, at: 1004),
            .deadLettered(placed, by: "payments", consumerGroup: "pay", topic: "orders", partition: 0, offset: 5,
                          deadLetterTopic: "orders.dlq", errorClass: "Payments.CardDeclined", at: 1100),
        ]
        #expect(LineageHop.decode(hops[2].encoded()) == hops[2])
        #expect(String(decoding: hops[2].encoded(), as: UTF8.self).contains("\"kind\":\"dead-letter\""))
        let graph = LineageGraph(correlationId: Self.flow, hops: hops)
        let event = try #require(graph.events.first)
        #expect(event.deadLetters == [LineageGraph.DeadLetter(service: "payments", consumerGroup: "pay", topic: "orders.dlq",
                                                              errorClass: "Payments.CardDeclined", at: 1100)])
        #expect(event.consumptions.count == 1)
        #expect(graph.text.contains("dead-lettered by payments (group pay) to orders.dlq after Payments.CardDeclined"))
        #expect(graph.json.contains("\"deadLetters\":[{\"at\":1100,\"consumerGroup\":\"pay\",\"errorClass\":\"Payments.CardDeclined\""))
    }
}
