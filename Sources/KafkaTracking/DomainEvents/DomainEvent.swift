import Foundation
import KafkaClient

/// The seeds' event envelope: an event about one aggregate, JSON-coded with the
/// field names their schema uses, validated before it is produced or after it
/// is consumed, and keyed by the aggregate id so one aggregate's events stay in order.
///
/// ```swift
/// let event = DomainEvent(eventType: "OrderPlacedEvent", aggregateId: "order-42", aggregateType: "Order",
///                         payload: OrderPlaced(total: 1999))
/// try await tracked.send(try event.record(topic: "shop.prod.orders.order-placed"), eventType: event.eventType)
/// ```
public struct DomainEvent<Payload: Codable & Sendable>: Codable, Sendable {
    /// The event's unique id.
    public var eventId: UUID
    /// `^[A-Z][a-zA-Z]*Event$`, e.g. `OrderPlacedEvent`.
    public var eventType: String
    /// The id of the aggregate the event is about.
    public var aggregateId: String
    /// The aggregate's type, such as `Order`.
    public var aggregateType: String
    /// When the event happened.
    public var occurredOn: Date
    /// The payload's schema version, 1 or more.
    public var version: Int
    /// The event's data.
    public var payload: Payload
    /// Free-form string metadata.
    public var metadata: [String: String]

    /// An event; its id and time default to new ones.
    public init(eventId: UUID = UUID(), eventType: String, aggregateId: String, aggregateType: String, occurredOn: Date = Date(),
                version: Int = 1, payload: Payload, metadata: [String: String] = [:]) {
        self.eventId = eventId
        self.eventType = eventType
        self.aggregateId = aggregateId
        self.aggregateType = aggregateType
        self.occurredOn = occurredOn
        self.version = version
        self.payload = payload
        self.metadata = metadata
    }

    /// Checks the envelope against the schema's rules.
    public func validate() throws(DomainEventError) {
        guard Self.isEventType(eventType) else {
            throw DomainEventError(field: "eventType", reason: "\"\(eventType)\" does not match ^[A-Z][a-zA-Z]*Event$")
        }
        guard !aggregateId.isEmpty else { throw DomainEventError(field: "aggregateId", reason: "must not be empty") }
        guard !aggregateType.isEmpty else { throw DomainEventError(field: "aggregateType", reason: "must not be empty") }
        guard version >= 1 else { throw DomainEventError(field: "version", reason: "must be 1 or more, not \(version)") }
    }

    static func isEventType(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count > 5, let first = bytes.first, first >= 0x41 && first <= 0x5A, text.hasSuffix("Event") else { return false }
        return bytes.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// The validated event as JSON (ISO 8601 `occurredOn`, sorted keys).
    public func json() throws(DomainEventError) -> [UInt8] {
        try validate()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw DomainEventError(field: "payload", reason: "cannot be encoded: \(error)")
        }
    }

    /// A validated event from JSON.
    public static func decode(_ bytes: some Collection<UInt8>) throws(DomainEventError) -> DomainEvent {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let event: DomainEvent
        do {
            event = try decoder.decode(DomainEvent.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, _) {
            throw DomainEventError(field: key.stringValue, reason: "missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            throw DomainEventError(field: context.codingPath.map(\.stringValue).joined(separator: "."), reason: context.debugDescription)
        } catch {
            throw DomainEventError(field: "", reason: "not a domain event: \(error)")
        }
        try event.validate()
        return event
    }

    /// A record for `topic`: the JSON envelope as value, the aggregate id as key.
    public func record(topic: String) throws(DomainEventError) -> KafkaProducerRecord {
        KafkaProducerRecord(topic: topic, key: Array(aggregateId.utf8), value: try json())
    }
}

/// A domain event that breaks the schema: which field and why.
public struct DomainEventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The envelope field at fault; empty for the whole event.
    public var field: String
    /// What is wrong with it.
    public var reason: String
    /// The field and the reason.
    public var description: String { "domain event \(field.isEmpty ? "" : "field \(field) ")\(reason)" }
}
