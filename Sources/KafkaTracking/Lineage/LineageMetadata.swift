import Foundation
import KafkaWire

/// Where an event came from, carried in record headers (never in the payload,
/// so any payload format works): its own id, the business flow it belongs to
/// (correlation id), the event that caused it (causation id), the service that
/// produced it, its type and schema version, when it was produced, and the
/// producer's own per-partition sequence, from which consumers detect loss.
public struct LineageMetadata: Sendable, Hashable {
    /// This event's id.
    public var eventId: UUID
    /// The id shared by every event of one business flow (the first event's id by default).
    public var correlationId: UUID
    /// The id of the event whose handling produced this one; nil for a flow's first event.
    public var causationId: UUID?
    /// The producing service (`source.service`).
    public var sourceService: String
    /// The event's type, e.g. `OrderPlacedEvent`.
    public var eventType: String?
    /// The payload's schema version.
    public var schemaVersion: Int?
    /// Milliseconds since the epoch when the event was produced.
    public var producedAt: Int64
    /// The producing instance and its sequence number for the record's partition.
    public var sequence: ProducerSequence?

    public init(eventId: UUID = UUID(), correlationId: UUID? = nil, causationId: UUID? = nil, sourceService: String,
                eventType: String? = nil, schemaVersion: Int? = nil, producedAt: Int64, sequence: ProducerSequence? = nil) {
        self.eventId = eventId
        self.correlationId = correlationId ?? eventId
        self.causationId = causationId
        self.sourceService = sourceService
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.producedAt = producedAt
        self.sequence = sequence
    }
}

/// A producing instance's own sequence number for one partition: consecutive per
/// (instance, topic, partition), so a consumer that sees 7 after 5 knows 6 is missing.
public struct ProducerSequence: Sendable, Hashable {
    /// Identifies the producing instance (a UUID per `TrackedProducer`).
    public var producerId: String
    public var number: Int64

    public init(producerId: String, number: Int64) {
        self.producerId = producerId
        self.number = number
    }
}

/// Lineage that could not be read from a record's headers.
public struct LineageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header at fault.
    public var header: String
    public var reason: String

    public var description: String { "lineage header \(header): \(reason)" }
}

extension LineageMetadata {
    /// The header names, one per field, all under the `lineage.` prefix.
    public enum Header {
        public static let eventId = "lineage.event-id"
        public static let correlationId = "lineage.correlation-id"
        public static let causationId = "lineage.causation-id"
        public static let sourceService = "lineage.source-service"
        public static let eventType = "lineage.event-type"
        public static let schemaVersion = "lineage.schema-version"
        public static let producedAt = "lineage.produced-at"
        public static let producerId = "lineage.producer-id"
        public static let sequence = "lineage.sequence"
    }

    /// The headers carrying this lineage.
    public var headers: [RecordHeader] {
        // All values share one buffer: one allocation per record instead of one per header.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + sourceService.utf8.count + (eventType?.utf8.count ?? 0) + (sequence?.producerId.utf8.count ?? 0))
        var fields: [(key: String, range: Range<Int>)] = []
        fields.reserveCapacity(9)
        func add(_ key: String, _ write: (inout [UInt8]) -> Void) {
            let start = bytes.count
            write(&bytes)
            fields.append((key, start..<bytes.count))
        }
        add(Header.eventId) { eventId.appendLowercased(to: &$0) }
        add(Header.correlationId) { correlationId.appendLowercased(to: &$0) }
        add(Header.sourceService) { $0.append(contentsOf: sourceService.utf8) }
        add(Header.producedAt) { $0.append(contentsOf: String(producedAt).utf8) }
        if let causationId { add(Header.causationId) { causationId.appendLowercased(to: &$0) } }
        if let eventType { add(Header.eventType) { $0.append(contentsOf: eventType.utf8) } }
        if let schemaVersion { add(Header.schemaVersion) { $0.append(contentsOf: String(schemaVersion).utf8) } }
        if let sequence {
            add(Header.producerId) { $0.append(contentsOf: sequence.producerId.utf8) }
            add(Header.sequence) { $0.append(contentsOf: String(sequence.number).utf8) }
        }
        return fields.map { RecordHeader(key: $0.key, valueSlice: bytes[$0.range]) }
    }

    /// `headers` without any lineage headers already there, then this lineage's.
    public func stamped(onto headers: [RecordHeader]) -> [RecordHeader] {
        headers.filter { !$0.key.hasPrefix("lineage.") } + self.headers
    }

    /// Reads lineage from a record's headers.
    ///
    /// - Returns: nil when the record carries no lineage (no event id header).
    /// - Throws: `LineageError` when lineage headers are present but malformed.
    public init?(headers: [RecordHeader]) throws(LineageError) {
        var values: [String: String] = [:]
        for header in headers where header.key.hasPrefix("lineage.") {
            values[header.key] = header.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        guard let eventText = values[Header.eventId] else { return nil }
        func uuid(_ header: String, _ text: String) throws(LineageError) -> UUID {
            guard let value = UUID(uuidString: text) else { throw LineageError(header: header, reason: "\"\(text)\" is not a UUID") }
            return value
        }
        func integer(_ header: String, _ text: String) throws(LineageError) -> Int64 {
            guard let value = Int64(text) else { throw LineageError(header: header, reason: "\"\(text)\" is not an integer") }
            return value
        }
        guard let source = values[Header.sourceService] else { throw LineageError(header: Header.sourceService, reason: "missing") }
        guard let producedText = values[Header.producedAt] else { throw LineageError(header: Header.producedAt, reason: "missing") }
        let eventId = try uuid(Header.eventId, eventText)
        var correlationId = eventId
        if let text = values[Header.correlationId] { correlationId = try uuid(Header.correlationId, text) }
        var causationId: UUID?
        if let text = values[Header.causationId] { causationId = try uuid(Header.causationId, text) }
        var schemaVersion: Int?
        if let text = values[Header.schemaVersion] { schemaVersion = Int(try integer(Header.schemaVersion, text)) }
        var sequence: ProducerSequence?
        if let producer = values[Header.producerId], let text = values[Header.sequence] {
            sequence = ProducerSequence(producerId: producer, number: try integer(Header.sequence, text))
        }
        self.init(eventId: eventId, correlationId: correlationId, causationId: causationId, sourceService: source,
                  eventType: values[Header.eventType], schemaVersion: schemaVersion, producedAt: try integer(Header.producedAt, producedText),
                  sequence: sequence)
    }
}
