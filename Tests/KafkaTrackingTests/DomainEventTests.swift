import Foundation
import KafkaClient
import Testing
@testable import KafkaTracking

@Suite("Tracking: domain events and topic names")
struct DomainEventTests {
    struct OrderPlaced: Codable, Sendable, Equatable {
        var total: Int
        var currency: String
    }

    @Test("the envelope encodes with the schema's field names and decodes back; the aggregate id is the key")
    func roundTrip() throws {
        let event = DomainEvent(eventId: UUID(uuidString: "6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a6b")!, eventType: "OrderPlacedEvent",
                                aggregateId: "order-42", aggregateType: "Order", occurredOn: Date(timeIntervalSince1970: 1_700_000_000),
                                version: 2, payload: OrderPlaced(total: 1999, currency: "EUR"), metadata: ["tenant": "eu"])
        let json = try event.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(Set(object.keys) == ["eventId", "eventType", "aggregateId", "aggregateType", "occurredOn", "version", "payload", "metadata"])
        #expect(object["occurredOn"] as? String == "2023-11-14T22:13:20Z")
        let decoded = try DomainEvent<OrderPlaced>.decode(json)
        #expect(decoded.payload == event.payload && decoded.eventId == event.eventId && decoded.version == 2)
        let record = try event.record(topic: "shop.prod.orders.order-placed")
        #expect(record.key == Array("order-42".utf8))
    }

    @Test("schema violations are typed errors naming the field")
    func validation() throws {
        func field(_ event: DomainEvent<[String: String]>) -> String? {
            do { try event.validate(); return nil } catch { return error.field }
        }
        #expect(field(DomainEvent(eventType: "OrderPlacedEvent", aggregateId: "a", aggregateType: "Order", payload: [:])) == nil)
        #expect(field(DomainEvent(eventType: "orderPlacedEvent", aggregateId: "a", aggregateType: "Order", payload: [:])) == "eventType")
        #expect(field(DomainEvent(eventType: "OrderPlaced", aggregateId: "a", aggregateType: "Order", payload: [:])) == "eventType")
        #expect(field(DomainEvent(eventType: "Order2Event", aggregateId: "a", aggregateType: "Order", payload: [:])) == "eventType")
        #expect(field(DomainEvent(eventType: "OrderPlacedEvent", aggregateId: "", aggregateType: "Order", payload: [:])) == "aggregateId")
        #expect(field(DomainEvent(eventType: "OrderPlacedEvent", aggregateId: "a", aggregateType: "Order", version: 0, payload: [:])) == "version")
        #expect { try DomainEvent<[String: String]>.decode(Array(#"{"eventId":"x"}"#.utf8)) } throws: { error in
            (error as? DomainEventError) != nil
        }
        let missingType = #"{"eventId":"6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a6b","aggregateId":"a","aggregateType":"A","#
            + #""occurredOn":"2023-11-14T22:13:20Z","version":1,"payload":{},"metadata":{}}"#
        #expect { try DomainEvent<[String: String]>.decode(Array(missingType.utf8)) } throws: { ($0 as? DomainEventError)?.field == "eventType" }
    }

    @Test("topic names: built from parts or an event type, parsed back, and refused when a part is illegal")
    func topicNames() throws {
        let name = try EventTopicName(project: "shop", environment: "prod", domain: "orders", forEventType: "OrderPlacedEvent")
        #expect(name.description == "shop.prod.orders.order-placed")
        #expect(try EventTopicName(parsing: "shop.prod.orders.order-placed") == name)
        #expect(throws: DomainEventError.self) { try EventTopicName(parsing: "shop.prod.orders") }
        #expect(throws: DomainEventError.self) { try EventTopicName(project: "Shop", environment: "prod", domain: "orders", eventType: "x") }
        #expect(throws: DomainEventError.self) { try EventTopicName(project: "shop", environment: "pr.od", domain: "orders", eventType: "x") }
        #expect(throws: DomainEventError.self) {
            try EventTopicName(project: String(repeating: "p", count: 240), environment: "prod", domain: "orders", eventType: "x")
        }
    }
}
