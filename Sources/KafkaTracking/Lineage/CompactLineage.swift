import Foundation

/// The compact form of `LineageMetadata`: one binary header value of about 80
/// bytes instead of nine text headers of about 300, written and read without
/// building strings (it is stamped on every record).
///
/// Layout, version 1 (integers big-endian, lengths as unsigned LEB128 varints):
///
///     version      1 byte (1)
///     flags        1 byte: 0x01 correlation id differs from event id, 0x02 causation id,
///                  0x04 event type, 0x08 schema version, 0x10 producer sequence
///     event id     16 bytes
///     correlation  16 bytes, with 0x01
///     causation    16 bytes, with 0x02
///     produced-at  8 bytes, milliseconds since the epoch
///     schema       8 bytes, with 0x08
///     sequence     8 bytes (the number), with 0x10
///     source       varint length + UTF-8
///     producer id  varint length + UTF-8, with 0x10
///     event type   varint length + UTF-8, with 0x04
///
/// Source and producer id sit side by side: a producer writes them from one
/// buffer it encoded once (`ProducerFields`).
/// Bytes after the last field are ignored, so later versions may append fields.
enum CompactLineage {
    static let version: UInt8 = 1

    enum Flag {
        static let correlation: UInt8 = 0x01
        static let causation: UInt8 = 0x02
        static let eventType: UInt8 = 0x04
        static let schemaVersion: UInt8 = 0x08
        static let sequence: UInt8 = 0x10
    }

    /// The source service and producer id fields of one producer, encoded once.
    struct ProducerFields: Sendable {
        let sourceService: String
        let producerId: String?
        let bytes: [UInt8]

        init(sourceService: String, producerId: String?) {
            self.sourceService = sourceService
            self.producerId = producerId
            var bytes: [UInt8] = []
            CompactLineage.append(sourceService, to: &bytes)
            if let producerId { CompactLineage.append(producerId, to: &bytes) }
            self.bytes = bytes
        }

        func matches(_ lineage: LineageMetadata) -> Bool {
            lineage.sourceService == sourceService && lineage.sequence?.producerId == producerId
        }
    }

    /// `lineage` in the compact form; `fields` when they are `lineage`'s source and producer id.
    static func encode(_ lineage: LineageMetadata, fields: ProducerFields? = nil) -> [UInt8] {
        var flags: UInt8 = 0
        if lineage.correlationId != lineage.eventId { flags |= Flag.correlation }
        if lineage.causationId != nil { flags |= Flag.causation }
        if lineage.eventType != nil { flags |= Flag.eventType }
        if lineage.schemaVersion != nil { flags |= Flag.schemaVersion }
        if lineage.sequence != nil { flags |= Flag.sequence }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(90 + lineage.sourceService.utf8.count + (lineage.eventType?.utf8.count ?? 0)
                              + (lineage.sequence?.producerId.utf8.count ?? 0))
        let fields = fields.flatMap { $0.matches(lineage) ? $0 : nil }
            ?? ProducerFields(sourceService: lineage.sourceService, producerId: lineage.sequence?.producerId)
        bytes.append(version)
        bytes.append(flags)
        append(lineage.eventId, to: &bytes)
        if flags & Flag.correlation != 0 { append(lineage.correlationId, to: &bytes) }
        if let causation = lineage.causationId { append(causation, to: &bytes) }
        append(UInt64(bitPattern: lineage.producedAt), to: &bytes)
        if let schemaVersion = lineage.schemaVersion { append(UInt64(bitPattern: Int64(schemaVersion)), to: &bytes) }
        if let sequence = lineage.sequence { append(UInt64(bitPattern: sequence.number), to: &bytes) }
        bytes.append(contentsOf: fields.bytes)
        if let eventType = lineage.eventType { append(eventType, to: &bytes) }
        return bytes
    }

    /// Reads the compact form.
    ///
    /// - Throws: `LineageError` naming the `lineage` header when the value is cut short,
    ///   of an unknown version, or carries text that is not UTF-8.
    static func decode(_ value: ArraySlice<UInt8>) throws(LineageError) -> LineageMetadata {
        var reader = Reader(bytes: value)
        let version = try reader.byte("version")
        guard version == Self.version else { throw reader.error("version \(version) is not supported (this reader knows 1)") }
        let flags = try reader.byte("flags")
        let eventId = try reader.uuid("event id")
        let correlationId = flags & Flag.correlation != 0 ? try reader.uuid("correlation id") : eventId
        let causationId = flags & Flag.causation != 0 ? try reader.uuid("causation id") : nil
        let producedAt = Int64(bitPattern: try reader.integer("produced-at"))
        var schemaVersion: Int?
        if flags & Flag.schemaVersion != 0 { schemaVersion = Int(truncatingIfNeeded: Int64(bitPattern: try reader.integer("schema version"))) }
        let number = flags & Flag.sequence != 0 ? Int64(bitPattern: try reader.integer("sequence")) : nil
        let source = try reader.text("source service")
        var sequence: ProducerSequence?
        if let number { sequence = ProducerSequence(producerId: try reader.text("producer id"), number: number) }
        let eventType = flags & Flag.eventType != 0 ? try reader.text("event type") : nil
        return LineageMetadata(eventId: eventId, correlationId: correlationId, causationId: causationId, sourceService: source,
                               eventType: eventType, schemaVersion: schemaVersion, producedAt: producedAt, sequence: sequence)
    }

    private static func append(_ id: UUID, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: id.uuid) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        var length = UInt(text.utf8.count)
        while length >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
        bytes.append(contentsOf: text.utf8)
    }

    /// Reads fields in order, failing with the field's name when the value ends early.
    private struct Reader {
        var bytes: ArraySlice<UInt8>

        func error(_ reason: String) -> LineageError {
            LineageError(header: LineageMetadata.Header.compact, reason: reason)
        }

        mutating func take(_ count: Int, _ field: String) throws(LineageError) -> ArraySlice<UInt8> {
            guard bytes.count >= count else { throw error("ends inside the \(field)") }
            defer { bytes = bytes.dropFirst(count) }
            return bytes.prefix(count)
        }

        mutating func byte(_ field: String) throws(LineageError) -> UInt8 {
            try take(1, field).first ?? 0
        }

        mutating func uuid(_ field: String) throws(LineageError) -> UUID {
            var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let slice = try take(16, field)
            withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: slice) }
            return UUID(uuid: raw)
        }

        mutating func integer(_ field: String) throws(LineageError) -> UInt64 {
            try take(8, field).reduce(0) { ($0 << 8) | UInt64($1) }
        }

        mutating func text(_ field: String) throws(LineageError) -> String {
            var length = 0
            var shift = 0
            while true {
                let byte = try self.byte("\(field) length")
                length |= Int(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
                guard shift < 28 else { throw error("the \(field) length is not a valid varint") }
            }
            let utf8 = try take(length, field)
            guard let text = String(validating: utf8, as: UTF8.self) else { throw error("the \(field) is not UTF-8") }
            return text
        }
    }
}
