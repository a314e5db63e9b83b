/// A tagged field of a flexible message version that this library does not
/// interpret; kept on decode and written back on encode so nothing is lost.
public struct KafkaTaggedField: Hashable, Sendable {
    /// The field's tag.
    public var tag: UInt32
    /// The field's raw value bytes (without the tag and size prefix).
    public var data: [UInt8]

    public init(tag: UInt32, data: [UInt8]) {
        self.tag = tag
        self.data = data
    }
}

extension WireWriter {
    /// Writes one tagged field: tag, size, then the value bytes.
    @inlinable
    public mutating func writeTaggedField(tag: UInt32, bytes value: [UInt8]) {
        writeUnsignedVarint(tag)
        writeUnsignedVarint(UInt32(truncatingIfNeeded: value.count))
        writeBytes(value)
    }

    /// Writes a whole tagged-field section made only of `fields`.
    @inlinable
    public mutating func writeUnknownTaggedFields(_ fields: [KafkaTaggedField]) {
        writeUnsignedVarint(UInt32(truncatingIfNeeded: fields.count))
        for field in fields {
            writeTaggedField(tag: field.tag, bytes: field.data)
        }
    }

    /// Writes `fields[index...]` whose tag is below `tag`, advancing `index`:
    /// merges unknown fields with known ones so the section stays in tag order.
    @inlinable
    public mutating func writeUnknownTaggedFields(_ fields: [KafkaTaggedField], below tag: UInt32, index: inout Int) {
        while index < fields.count, fields[index].tag < tag {
            writeTaggedField(tag: fields[index].tag, bytes: fields[index].data)
            index += 1
        }
    }

    /// Writes `fields[index...]`, the unknown fields left after the last known tag.
    @inlinable
    public mutating func writeRemainingUnknownTaggedFields(_ fields: [KafkaTaggedField], from index: Int) {
        var position = index
        while position < fields.count {
            writeTaggedField(tag: fields[position].tag, bytes: fields[position].data)
            position += 1
        }
    }
}

extension WireReader {
    /// Reads a tagged-field section that holds no field this library knows.
    @inlinable
    public mutating func readUnknownTaggedFields() throws(KafkaWireError) -> [KafkaTaggedField] {
        let count = try readUnsignedVarint(field: "taggedFields")
        guard count > 0 else { return [] }
        // Each field takes at least two bytes (tag and size).
        try checkCount(Int(count), minimumElementSize: 2, field: "taggedFields")
        var fields: [KafkaTaggedField] = []
        fields.reserveCapacity(Int(count))
        for _ in 0..<count {
            let tag = try readUnsignedVarint(field: "taggedFields")
            let size = try readUnsignedVarint(field: "taggedFields")
            fields.append(KafkaTaggedField(tag: tag, data: try readBytes(count: Int(size), field: "taggedFields")))
        }
        return fields
    }
}

extension KafkaTaggedField {
    /// How many of `fields` carry `tag`.
    @inlinable
    public static func count(of tag: UInt32, in fields: [KafkaTaggedField]) -> Int {
        var count = 0
        for field in fields where field.tag == tag { count += 1 }
        return count
    }

    /// Advances `index` past fields carrying `tag` (raw copies superseded by a known value).
    @inlinable
    public static func skip(tag: UInt32, in fields: [KafkaTaggedField], index: inout Int) {
        while index < fields.count, fields[index].tag == tag { index += 1 }
    }
}
