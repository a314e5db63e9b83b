/// Reads of Kafka's length-prefixed types in both encodings: classic (INT16/INT32
/// lengths, -1 for null) and compact (unsigned varint of length + 1, 0 for null).
extension WireReader {
    /// Reads a length prefix; returns nil for null, throws for lengths that cannot fit.
    @inlinable
    mutating func readKafkaLength(compact: Bool, wide: Bool, field: StaticString) throws(KafkaWireError) -> Int? {
        let length: Int
        if compact {
            length = Int(try readUnsignedVarint(field: field)) - 1
        } else if wide {
            length = Int(try read(Int32.self, field: field))
        } else {
            length = Int(try read(Int16.self, field: field))
        }
        if length == -1 { return nil }
        guard length >= 0 else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "negative length \(length)")
        }
        return length
    }

    @inlinable
    func nullNotAllowed(_ field: StaticString) -> KafkaWireError {
        KafkaWireError(.missingValue, field: "\(field)", detail: "null where this version does not allow it")
    }

    /// Reads a non-null STRING / COMPACT_STRING.
    @inlinable
    public mutating func readKafkaString(compact: Bool, field: StaticString) throws(KafkaWireError) -> String {
        guard let length = try readKafkaLength(compact: compact, wide: false, field: field) else { throw nullNotAllowed(field) }
        return try readString(count: length, field: field)
    }

    /// Reads a NULLABLE_STRING / COMPACT_NULLABLE_STRING; null is refused unless `nullable`.
    @inlinable
    public mutating func readKafkaNullableString(compact: Bool, nullable: Bool, field: StaticString) throws(KafkaWireError) -> String? {
        guard let length = try readKafkaLength(compact: compact, wide: false, field: field) else {
            guard nullable else { throw nullNotAllowed(field) }
            return nil
        }
        return try readString(count: length, field: field)
    }

    /// Reads non-null BYTES / COMPACT_BYTES.
    @inlinable
    public mutating func readKafkaBytes(compact: Bool, field: StaticString) throws(KafkaWireError) -> [UInt8] {
        guard let length = try readKafkaLength(compact: compact, wide: true, field: field) else { throw nullNotAllowed(field) }
        return try readBytes(count: length, field: field)
    }

    /// Reads NULLABLE_BYTES / COMPACT_NULLABLE_BYTES (also used for RECORDS).
    @inlinable
    public mutating func readKafkaNullableBytes(compact: Bool, nullable: Bool, field: StaticString) throws(KafkaWireError) -> [UInt8]? {
        guard let length = try readKafkaLength(compact: compact, wide: true, field: field) else {
            guard nullable else { throw nullNotAllowed(field) }
            return nil
        }
        return try readBytes(count: length, field: field)
    }

    /// Reads a non-null array count, checked against the bytes left so no hostile count allocates.
    @inlinable
    public mutating func readKafkaArrayCount(compact: Bool, minimumElementSize: Int, field: StaticString) throws(KafkaWireError) -> Int {
        guard let count = try readKafkaLength(compact: compact, wide: true, field: field) else { throw nullNotAllowed(field) }
        try checkCount(count, minimumElementSize: minimumElementSize, field: field)
        return count
    }

    /// Reads a nullable array count (nil for null), checked like `readKafkaArrayCount`.
    @inlinable
    public mutating func readKafkaNullableArrayCount(compact: Bool, nullable: Bool, minimumElementSize: Int, field: StaticString) throws(KafkaWireError) -> Int? {
        guard let count = try readKafkaLength(compact: compact, wide: true, field: field) else {
            guard nullable else { throw nullNotAllowed(field) }
            return nil
        }
        try checkCount(count, minimumElementSize: minimumElementSize, field: field)
        return count
    }
}
