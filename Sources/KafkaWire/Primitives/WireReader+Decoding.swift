/// Throwing reads used by message decoders: each names the field it reads, so
/// a failure says exactly where the input went wrong. A failed read consumes nothing.
extension WireReader {
    @inlinable
    public mutating func read<T: FixedWidthInteger>(_: T.Type, field: StaticString) throws(KafkaWireError) -> T {
        guard let value = readInteger(as: T.self) else {
            throw KafkaWireError(.truncated, field: "\(field)", detail: "need \(MemoryLayout<T>.size) bytes, have \(readableBytes)")
        }
        return value
    }

    @inlinable
    public mutating func readBool(field: StaticString) throws(KafkaWireError) -> Bool {
        try read(Int8.self, field: field) != 0
    }

    @inlinable
    public mutating func readFloat64(field: StaticString) throws(KafkaWireError) -> Double {
        Double(bitPattern: try read(UInt64.self, field: field))
    }

    @inlinable
    public mutating func readUUID(field: StaticString) throws(KafkaWireError) -> KafkaUUID {
        guard let value = readUUID() else {
            throw KafkaWireError(.truncated, field: "\(field)", detail: "need 16 bytes for a UUID, have \(readableBytes)")
        }
        return value
    }

    @inlinable
    public mutating func readUnsignedVarint(field: StaticString) throws(KafkaWireError) -> UInt32 {
        switch peekVarint(maxBytes: 5) {
        case .value(let value, let length):
            guard value <= UInt64(UInt32.max) else {
                throw KafkaWireError(.malformedVarint, field: "\(field)", detail: "unsigned varint exceeds 32 bits")
            }
            moveReaderIndex(forwardBy: length)
            return UInt32(value)
        case .needMoreBytes:
            throw KafkaWireError(.truncated, field: "\(field)", detail: "input ends inside a varint")
        case .tooLong:
            throw KafkaWireError(.malformedVarint, field: "\(field)", detail: "varint longer than 5 bytes")
        }
    }

    @inlinable
    public mutating func readUnsignedVarlong(field: StaticString) throws(KafkaWireError) -> UInt64 {
        switch peekVarint(maxBytes: 10) {
        case .value(let value, let length):
            moveReaderIndex(forwardBy: length)
            return value
        case .needMoreBytes:
            throw KafkaWireError(.truncated, field: "\(field)", detail: "input ends inside a varlong")
        case .tooLong:
            throw KafkaWireError(.malformedVarint, field: "\(field)", detail: "varlong longer than 10 bytes")
        }
    }

    @inlinable
    public mutating func readVarint(field: StaticString) throws(KafkaWireError) -> Int32 {
        let raw = try readUnsignedVarint(field: field)
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    public mutating func readVarlong(field: StaticString) throws(KafkaWireError) -> Int64 {
        let raw = try readUnsignedVarlong(field: field)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    public mutating func readBytes(count: Int, field: StaticString) throws(KafkaWireError) -> [UInt8] {
        guard count >= 0 else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "negative length \(count)")
        }
        guard let bytes = readBytes(count: count) else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "length \(count) exceeds the \(readableBytes) bytes left")
        }
        return bytes
    }

    @inlinable
    public mutating func readSlice(count: Int, field: StaticString) throws(KafkaWireError) -> WireReader {
        guard count >= 0 else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "negative length \(count)")
        }
        guard let slice = readSlice(count: count) else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "length \(count) exceeds the \(readableBytes) bytes left")
        }
        return slice
    }

    @inlinable
    public mutating func readString(count: Int, field: StaticString) throws(KafkaWireError) -> String {
        guard count >= 0, count <= readableBytes else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "string length \(count) with \(readableBytes) bytes left")
        }
        guard let string = readString(count: count) else {
            throw KafkaWireError(.invalidString, field: "\(field)", detail: "not valid UTF-8")
        }
        return string
    }

    /// Checks that a count prefix is plausible before anything is allocated for it:
    /// each element takes at least `minimumElementSize` bytes, so a count larger than
    /// the remaining input allows is rejected instead of reserving memory for it.
    @inlinable
    public func checkCount(_ count: Int, minimumElementSize: Int = 1, field: StaticString) throws(KafkaWireError) {
        guard count >= 0 else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "negative count \(count)")
        }
        if minimumElementSize > 0, count > readableBytes / minimumElementSize {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "count \(count) exceeds what \(readableBytes) bytes can hold")
        }
    }

    /// Throws `trailingBytes` unless every byte has been consumed.
    @inlinable
    public func expectEnd(field: StaticString) throws(KafkaWireError) {
        guard isAtEnd else {
            throw KafkaWireError(.trailingBytes, field: "\(field)", detail: "\(readableBytes) bytes left over")
        }
    }
}
