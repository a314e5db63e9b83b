import KafkaClient
import Foundation

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

    /// Lineage for a new event; without a correlation id the event starts a flow of its own.
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
    /// The sequence number, from 0, per producer and partition.
    public var number: Int64

    /// Sequence `number` of producer `producerId`.
    public init(producerId: String, number: Int64) {
        self.producerId = producerId
        self.number = number
    }
}

/// Lineage that could not be read from a record's headers.
public struct LineageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header at fault.
    public var header: String
    /// What is wrong with the header.
    public var reason: String

    /// The header and the reason.
    public var description: String { "lineage header \(header): \(reason)" }
}

extension LineageMetadata {
    /// The header names: `compact` for the one-header form, the others (all under the
    /// `lineage.` prefix) for the one-header-per-field form.
    public enum Header {
        /// The one header of the compact form.
        public static let compact = "lineage"
        /// The event id header (per-field format).
        public static let eventId = "lineage.event-id"
        /// The correlation id header (per-field format).
        public static let correlationId = "lineage.correlation-id"
        /// The causation id header (per-field format).
        public static let causationId = "lineage.causation-id"
        /// The source service header (per-field format).
        public static let sourceService = "lineage.source-service"
        /// The event type header (per-field format).
        public static let eventType = "lineage.event-type"
        /// The schema version header (per-field format).
        public static let schemaVersion = "lineage.schema-version"
        /// The produced-at header (per-field format).
        public static let producedAt = "lineage.produced-at"
        /// The producer id header (per-field format).
        public static let producerId = "lineage.producer-id"
        /// The sequence header (per-field format).
        public static let sequence = "lineage.sequence"
    }

    /// How lineage is written into record headers. Readers take either form.
    public enum HeaderFormat: Sendable, Hashable {
        /// One `lineage` header with a binary value of about 55 bytes (the default):
        /// cheap to write on every record.
        case compact
        /// One text header per field (`lineage.event-id`, ...), about 300 bytes:
        /// readable in any tool, and the form written before the compact one.
        case perField
    }

    /// The headers carrying this lineage, in the compact form.
    public var headers: [KafkaHeader] { headers(format: .compact) }

    /// The headers carrying this lineage in `format`.
    public func headers(format: HeaderFormat) -> [KafkaHeader] {
        switch format {
        case .compact: [KafkaHeader(key: Header.compact, value: CompactLineage.encode(self))]
        case .perField: perFieldHeaders
        }
    }

    /// `headers` without any lineage headers already there (of either form), then this lineage's in `format`.
    public func stamped(onto headers: [KafkaHeader], format: HeaderFormat = .compact) -> [KafkaHeader] {
        let own = self.headers(format: format)
        if headers.isEmpty { return own }
        return headers.filter { !Self.isLineageHeader($0.key) } + own
    }

    static func isLineageHeader(_ key: String) -> Bool {
        key == Header.compact || key.hasPrefix("lineage.")
    }

    /// Reads lineage from a record's headers, in either form (the compact one wins when both are there).
    ///
    /// - Returns: nil when the record carries no lineage (no `lineage` header, no event id header).
    /// - Throws: `LineageError` when lineage headers are present but malformed.
    public init?(headers: [KafkaHeader]) throws(LineageError) {
        if let compact = headers.last(where: { $0.key == Header.compact }) {
            guard let value = compact.value else { throw LineageError(header: Header.compact, reason: "has no value") }
            self = try CompactLineage.decode(value)
            return
        }
        guard let lineage = try Self(perFieldHeaders: headers) else { return nil }
        self = lineage
    }
}
