import Foundation
import KafkaWire

/// The compact form of `LineageMetadata`: one binary header value of about 55
/// bytes instead of nine text headers of about 300, written and read without
/// building strings (it is stamped on every record).
///
/// Layout, version 2 (varints are unsigned LEB128; texts are a varint length + UTF-8):
///
///     version      1 byte (2)
///     flags        1 byte: 0x01 correlation id differs from event id, 0x02 causation id,
///                  0x04 event type, 0x08 schema version, 0x10 producer sequence with the
///                  producer id as a UUID, 0x20 producer sequence with the producer id as text
///     event id     16 bytes
///     correlation  16 bytes, with 0x01
///     causation    16 bytes, with 0x02
///     produced-at  varint, milliseconds since the epoch (its 64-bit pattern)
///     schema       varint (its 64-bit pattern), with 0x08
///     sequence     varint (its 64-bit pattern), with 0x10 or 0x20
///     producer id  16 bytes with 0x10 (the lowercase text form of a UUID), text with 0x20
///     source       text
///     event type   text, with 0x04
///
/// The producer id and source sit side by side: a producer writes them from one
/// buffer it encoded once (`ProducerFields`). Bytes after the last field are
/// ignored, so later versions may append fields. Version 1 (read by `decode`)
/// had fixed 8-byte big-endian integers and the producer id always as text.
enum CompactLineage {
    static let version: UInt8 = 2

    enum Flag {
        static let correlation: UInt8 = 0x01
        static let causation: UInt8 = 0x02
        static let eventType: UInt8 = 0x04
        static let schemaVersion: UInt8 = 0x08
        static let sequence: UInt8 = 0x10
        static let textSequence: UInt8 = 0x20
    }

    /// The producer id (when there is a sequence) and source service fields of one producer, encoded once.
    struct ProducerFields: Sendable {
        let sourceService: String
        let producerId: String?
        /// `Flag.sequence`, `Flag.textSequence`, or 0 without a producer id.
        let sequenceFlag: UInt8
        let bytes: [UInt8]

        init(sourceService: String, producerId: String?) {
            self.sourceService = sourceService
            self.producerId = producerId
            var writer = WireWriter(reservingCapacity: 32 + sourceService.utf8.count + (producerId?.utf8.count ?? 0))
            func text(_ value: String) {
                writer.writeUnsignedVarlong(UInt64(value.utf8.count))
                writer.writeBytes(value.utf8)
            }
            if let producerId {
                // Only an id that reads back as the same text goes in raw.
                if let uuid = UUID(uuidString: producerId), uuid.lowercasedUTF8.elementsEqual(producerId.utf8) {
                    sequenceFlag = Flag.sequence
                    withUnsafeBytes(of: uuid.uuid) { writer.writeBytes($0) }
                } else {
                    sequenceFlag = Flag.textSequence
                    text(producerId)
                }
            } else {
                sequenceFlag = 0
            }
            text(sourceService)
            self.bytes = writer.bytes
        }

        func matches(_ lineage: LineageMetadata) -> Bool {
            lineage.sourceService == sourceService && lineage.sequence?.producerId == producerId
        }
    }

    /// `lineage` in the compact form; `fields` when they are `lineage`'s source and producer id.
    static func encode(_ lineage: LineageMetadata, fields: ProducerFields? = nil) -> [UInt8] {
        let fields = fields.flatMap { $0.matches(lineage) ? $0 : nil }
            ?? ProducerFields(sourceService: lineage.sourceService, producerId: lineage.sequence?.producerId)
        let encoding = Encoding(lineage, fields: fields)
        // Zeroed then written: `init(unsafeUninitializedCapacity:)` looked the array's generic
        // metadata up through the runtime's cache on every call.
        var bytes = [UInt8](repeating: 0, count: encoding.size)
        bytes.withUnsafeMutableBufferPointer { encoding.write(lineage, fields: fields, into: $0) }
        return bytes
    }

    /// The compact form of one lineage, sized first so that a caller can write it
    /// into memory of its own (a producer writes it on the stack, for every record).
    /// It keeps only the flags and size: the lineage is passed again to `write`.
    struct Encoding {
        let flags: UInt8
        /// The encoded length in bytes.
        let size: Int

        /// - Parameter fields: `lineage`'s source service and producer id, encoded (`ProducerFields.matches`).
        init(_ lineage: borrowing LineageMetadata, fields: borrowing ProducerFields) {
            var flags = fields.sequenceFlag
            var size = 2 + 16 + WireWriter.unsignedVarintSize(UInt64(bitPattern: lineage.producedAt)) + fields.bytes.count
            if flags != 0 { size += WireWriter.unsignedVarintSize(UInt64(bitPattern: lineage.sequence?.number ?? 0)) }
            if lineage.correlationId != lineage.eventId { flags |= Flag.correlation; size += 16 }
            if lineage.causationId != nil { flags |= Flag.causation; size += 16 }
            if let schema = lineage.schemaVersion {
                flags |= Flag.schemaVersion
                size += WireWriter.unsignedVarintSize(UInt64(bitPattern: Int64(schema)))
            }
            if let eventType = lineage.eventType {
                flags |= Flag.eventType
                size += WireWriter.unsignedVarintSize(UInt64(eventType.utf8.count)) + eventType.utf8.count
            }
            self.flags = flags
            self.size = size
        }

        /// Writes `lineage` (the one this encoding was made for) in the first `size` bytes of `buffer`.
        func write(_ lineage: borrowing LineageMetadata, fields: borrowing ProducerFields, into buffer: UnsafeMutableBufferPointer<UInt8>) {
            precondition(buffer.count >= size, "the buffer is smaller than the encoding")
            var writer = Writer(buffer: buffer)
            writer.byte(version)
            writer.byte(flags)
            writer.uuid(lineage.eventId)
            if flags & Flag.correlation != 0 { writer.uuid(lineage.correlationId) }
            if let causationId = lineage.causationId { writer.uuid(causationId) }
            writer.varint(UInt64(bitPattern: lineage.producedAt))
            if let schema = lineage.schemaVersion { writer.varint(UInt64(bitPattern: Int64(schema))) }
            if fields.sequenceFlag != 0 { writer.varint(UInt64(bitPattern: lineage.sequence?.number ?? 0)) }
            writer.bytes(fields.bytes)
            if var eventType = lineage.eventType {
                writer.varint(UInt64(eventType.utf8.count))
                eventType.withUTF8 { writer.bytes($0) }
            }
        }
    }

    /// Writes into a buffer sized beforehand.
    private struct Writer {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var position = 0

        mutating func byte(_ value: UInt8) {
            buffer[position] = value
            position += 1
        }

        mutating func uuid(_ id: UUID) {
            withUnsafeBytes(of: id.uuid) { bytes($0) }
        }

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                byte(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            byte(UInt8(value))
        }

        mutating func bytes(_ source: UnsafeRawBufferPointer) {
            guard let base = source.baseAddress, !source.isEmpty else { return }
            UnsafeMutableRawPointer(buffer.baseAddress! + position).copyMemory(from: base, byteCount: source.count)
            position += source.count
        }

        mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
            bytes(UnsafeRawBufferPointer(source))
        }

        mutating func bytes(_ source: [UInt8]) {
            source.withUnsafeBytes { bytes($0) }
        }
    }
}
