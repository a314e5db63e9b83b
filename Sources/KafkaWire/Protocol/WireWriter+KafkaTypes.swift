/// Writes of Kafka's length-prefixed types in classic and compact encodings.
extension WireWriter {
    @inlinable
    mutating func writeKafkaLength(_ length: Int, compact: Bool, wide: Bool) throws(KafkaWireError) {
        if compact {
            guard length < Int(UInt32.max) else {
                throw KafkaWireError(.invalidLength, detail: "length \(length) too large for a compact prefix")
            }
            writeUnsignedVarint(UInt32(length + 1))
        } else if wide {
            guard length <= Int(Int32.max) else {
                throw KafkaWireError(.invalidLength, detail: "length \(length) too large for an INT32 prefix")
            }
            write(Int32(length))
        } else {
            guard length <= Int(Int16.max) else {
                throw KafkaWireError(.invalidLength, detail: "string of \(length) bytes too long for an INT16 prefix")
            }
            write(Int16(length))
        }
    }

    /// Writes a STRING / COMPACT_STRING.
    @inlinable
    public mutating func writeKafkaString(_ value: String, compact: Bool) throws(KafkaWireError) {
        try writeKafkaLength(value.utf8.count, compact: compact, wide: false)
        writeStringBytes(value)
    }

    /// Writes a null string.
    @inlinable
    public mutating func writeKafkaNullString(compact: Bool) {
        if compact { writeUnsignedVarint(0) } else { write(Int16(-1)) }
    }

    /// Writes BYTES / COMPACT_BYTES (also RECORDS).
    @inlinable
    public mutating func writeKafkaBytes(_ value: [UInt8], compact: Bool) throws(KafkaWireError) {
        try writeKafkaLength(value.count, compact: compact, wide: true)
        writeBytes(value)
    }

    /// Writes null bytes.
    @inlinable
    public mutating func writeKafkaNullBytes(compact: Bool) {
        if compact { writeUnsignedVarint(0) } else { write(Int32(-1)) }
    }

    /// Writes an array's element count.
    @inlinable
    public mutating func writeKafkaArrayCount(_ count: Int, compact: Bool) throws(KafkaWireError) {
        try writeKafkaLength(count, compact: compact, wide: true)
    }

    /// Writes a null array.
    @inlinable
    public mutating func writeKafkaNullArray(compact: Bool) {
        if compact { writeUnsignedVarint(0) } else { write(Int32(-1)) }
    }
}
