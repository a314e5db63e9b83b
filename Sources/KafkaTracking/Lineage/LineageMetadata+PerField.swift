import KafkaClient
import Foundation

/// The one-header-per-field form of lineage (`HeaderFormat.perField`): text values
/// any tool can show, and what records written before the compact form carry.
extension LineageMetadata {
    /// The headers of the per-field form.
    var perFieldHeaders: [KafkaHeader] {
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
        return fields.map { KafkaHeader(key: $0.key, valueSlice: bytes[$0.range]) }
    }

    /// Reads the per-field form; nil without an event id header.
    init?(perFieldHeaders headers: [KafkaHeader]) throws(LineageError) {
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
