/// A bounds-checked read cursor over borrowed bytes, for the record hot paths.
///
/// `WireReader` owns an array; the record decoder instead walks raw memory
/// (the fetched blob, or a decompressed buffer) without retain/release per read.
/// Every read checks bounds and throws a typed error naming `field`.
@usableFromInline
struct ByteCursor {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline let end: Int
    @usableFromInline var position: Int

    @inlinable
    init(_ buffer: UnsafeRawBufferPointer) {
        // An empty buffer may have no address; any non-null pointer is fine as nothing is read.
        base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        end = buffer.count
        position = 0
    }

    @inlinable
    var remaining: Int { end - position }

    @inlinable @inline(__always)
    mutating func read<T: FixedWidthInteger>(_: T.Type, field: StaticString) throws(KafkaWireError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw KafkaWireError(.truncated, field: "\(field)", detail: "need \(size) bytes, have \(remaining)")
        }
        let value = T(bigEndian: base.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }

    @inlinable
    mutating func readVarlong(field: StaticString) throws(KafkaWireError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        while index < end {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                position = index
                return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
            }
            shift += 7
            if shift >= 70 {
                throw KafkaWireError(.malformedVarint, field: "\(field)", detail: "varlong longer than 10 bytes")
            }
        }
        throw KafkaWireError(.truncated, field: "\(field)", detail: "input ends inside a varint")
    }

    @inlinable @inline(__always)
    mutating func readVarint(field: StaticString) throws(KafkaWireError) -> Int32 {
        // Fast path: most varints in records are one byte.
        if position < end {
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            if byte & 0x80 == 0 {
                position += 1
                return Int32(byte >> 1) ^ (0 &- Int32(byte & 1))
            }
        }
        let start = position
        let wide = try readVarlong(field: field)
        guard position - start <= 5, let value = Int32(exactly: wide) else {
            throw KafkaWireError(.malformedVarint, field: "\(field)", detail: "varint exceeds 32 bits")
        }
        return value
    }

    /// Reads a varint length then that many bytes; -1 is null, other negatives are errors.
    @inlinable
    mutating func readNullableBytes(field: StaticString) throws(KafkaWireError) -> [UInt8]? {
        let length = Int(try readVarint(field: field))
        return try readNullableBytes(length: length, field: field)
    }

    @inlinable
    mutating func readNullableBytes(length: Int, field: StaticString) throws(KafkaWireError) -> [UInt8]? {
        if length == -1 { return nil }
        guard length >= 0 else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "negative length \(length)")
        }
        guard length <= remaining else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "length \(length) exceeds the \(remaining) bytes left")
        }
        let source = base + position
        // Uninitialized capacity + memcpy: the generic sequence initializer is slower.
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            if length > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: source, byteCount: length) }
            initialized = length
        }
        position += length
        return bytes
    }

    /// Reads a varint length and skips that many bytes, returning their
    /// position relative to this cursor's start; -1 is null.
    @inlinable @inline(__always)
    mutating func readNullableRange(field: StaticString) throws(KafkaWireError) -> Range<Int>? {
        let length = Int(try readVarint(field: field))
        if length == -1 { return nil }
        guard length >= 0 else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "negative length \(length)")
        }
        guard length <= remaining else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "length \(length) exceeds the \(remaining) bytes left")
        }
        defer { position += length }
        return position..<position + length
    }

    @inlinable
    mutating func readString(length: Int, field: StaticString) throws(KafkaWireError) -> String {
        guard length >= 0, length <= remaining else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "string length \(length) with \(remaining) bytes left")
        }
        let buffer = UnsafeBufferPointer(start: (base + position).assumingMemoryBound(to: UInt8.self), count: length)
        let string: String
        // Header keys are nearly always ASCII, which needs no validation;
        // String(validating:) is an unspecialized generic and costs far more.
        if Self.isASCII(buffer) {
            string = String(decoding: buffer, as: UTF8.self)
        } else {
            guard let validated = String(validating: buffer, as: UTF8.self) else {
                throw KafkaWireError(.invalidString, field: "\(field)", detail: "not valid UTF-8")
            }
            string = validated
        }
        position += length
        return string
    }

    @inlinable
    static func isASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var bits: UInt8 = 0
        for byte in buffer { bits |= byte }
        return bits < 0x80
    }

    /// The next `count` bytes as a buffer, consumed.
    @inlinable
    mutating func readBuffer(count: Int, field: StaticString) throws(KafkaWireError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw KafkaWireError(.invalidLength, field: "\(field)", detail: "length \(count) with \(remaining) bytes left")
        }
        let buffer = UnsafeRawBufferPointer(start: base + position, count: count)
        position += count
        return buffer
    }
}
