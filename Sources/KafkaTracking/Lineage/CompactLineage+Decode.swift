import Foundation

/// Reading the compact form, version 2 and the version 1 written before it.
extension CompactLineage {
    /// Reads the compact form.
    ///
    /// - Throws: `LineageError` naming the `lineage` header when the value is cut short,
    ///   of an unknown version, or carries text that is not UTF-8.
    static func decode(_ value: ArraySlice<UInt8>) throws(LineageError) -> LineageMetadata {
        var reader = Reader(bytes: value)
        let version = try reader.byte("version")
        switch version {
        case 1: return try decodeVersion1(&reader)
        case 2: return try decodeVersion2(&reader)
        default: throw reader.error("version \(version) is not supported (this reader knows 1 and 2)")
        }
    }

    /// The start both versions share: flags, event id, correlation id (the event id
    /// unless flagged) and causation id.
    private static func readIdentity(_ reader: inout Reader) throws(LineageError)
        -> (flags: UInt8, eventId: UUID, correlationId: UUID, causationId: UUID?) {
        let flags = try reader.byte("flags")
        let eventId = try reader.uuid("event id")
        let correlationId = flags & Flag.correlation != 0 ? try reader.uuid("correlation id") : eventId
        let causationId = flags & Flag.causation != 0 ? try reader.uuid("causation id") : nil
        return (flags, eventId, correlationId, causationId)
    }

    private static func decodeVersion2(_ reader: inout Reader) throws(LineageError) -> LineageMetadata {
        let (flags, eventId, correlationId, causationId) = try readIdentity(&reader)
        let producedAt = Int64(bitPattern: try reader.varint("produced-at"))
        var schemaVersion: Int?
        if flags & Flag.schemaVersion != 0 { schemaVersion = Int(truncatingIfNeeded: Int64(bitPattern: try reader.varint("schema version"))) }
        var sequence: ProducerSequence?
        if flags & (Flag.sequence | Flag.textSequence) != 0 {
            let number = Int64(bitPattern: try reader.varint("sequence"))
            let producerId = flags & Flag.sequence != 0
                ? String(decoding: try reader.uuid("producer id").lowercasedUTF8, as: UTF8.self)
                : try reader.text("producer id")
            sequence = ProducerSequence(producerId: producerId, number: number)
        }
        let source = try reader.text("source service")
        let eventType = flags & Flag.eventType != 0 ? try reader.text("event type") : nil
        return LineageMetadata(eventId: eventId, correlationId: correlationId, causationId: causationId, sourceService: source,
                               eventType: eventType, schemaVersion: schemaVersion, producedAt: producedAt, sequence: sequence)
    }

    /// Version 1: the same flags without 0x20, integers as 8 bytes big-endian, the
    /// sequence number before the source and the producer id as text after it.
    private static func decodeVersion1(_ reader: inout Reader) throws(LineageError) -> LineageMetadata {
        let (flags, eventId, correlationId, causationId) = try readIdentity(&reader)
        let producedAt = Int64(bitPattern: try reader.fixed64("produced-at"))
        var schemaVersion: Int?
        if flags & Flag.schemaVersion != 0 { schemaVersion = Int(truncatingIfNeeded: Int64(bitPattern: try reader.fixed64("schema version"))) }
        let number = flags & Flag.sequence != 0 ? Int64(bitPattern: try reader.fixed64("sequence")) : nil
        let source = try reader.text("source service")
        var sequence: ProducerSequence?
        if let number { sequence = ProducerSequence(producerId: try reader.text("producer id"), number: number) }
        let eventType = flags & Flag.eventType != 0 ? try reader.text("event type") : nil
        return LineageMetadata(eventId: eventId, correlationId: correlationId, causationId: causationId, sourceService: source,
                               eventType: eventType, schemaVersion: schemaVersion, producedAt: producedAt, sequence: sequence)
    }

    /// Reads fields in order, failing with the field's name when the value ends early.
    struct Reader {
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

        mutating func fixed64(_ field: String) throws(LineageError) -> UInt64 {
            try take(8, field).reduce(0) { ($0 << 8) | UInt64($1) }
        }

        /// An unsigned LEB128 varint of at most 64 bits.
        mutating func varint(_ field: String) throws(LineageError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = try self.byte(field)
                guard shift < 64, shift < 63 || byte <= 1 else { throw error("the \(field) is not a valid varint") }
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }

        mutating func text(_ field: String) throws(LineageError) -> String {
            let length = try varint("\(field) length")
            guard length <= UInt64(bytes.count) else { throw error("ends inside the \(field)") }
            let utf8 = try take(Int(length), field)
            guard let text = String(validating: utf8, as: UTF8.self) else { throw error("the \(field) is not UTF-8") }
            return text
        }
    }
}
