/// A read cursor over bytes received from a Kafka peer.
///
/// Follows SwiftNIO's conventions: `readX` advances and returns an optional
/// (`nil` means not enough bytes, and nothing was consumed); `getX(at:)` peeks
/// without moving. Everything is big-endian. Throwing variants that name the
/// field being decoded live in `WireReader+Decoding.swift`.
public struct WireReader: Sendable {
    /// The bytes this reader reads from; shared (copy-on-write) with slices.
    public let storage: [UInt8]
    /// The index of the next byte to read.
    @inlinable
    public var readerIndex: Int { _readerIndex }
    @usableFromInline
    var _readerIndex: Int
    /// One past the last readable byte.
    public let endIndex: Int

    /// Creates a reader over all of `bytes`.
    @inlinable
    public init(_ bytes: [UInt8]) {
        self.storage = bytes
        self._readerIndex = 0
        self.endIndex = bytes.count
    }

    /// Creates a reader over `range` of `storage`; the range must lie within it.
    @inlinable
    public init(storage: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "range outside storage")
        self.storage = storage
        self._readerIndex = range.lowerBound
        self.endIndex = range.upperBound
    }

    /// How many bytes remain.
    @inlinable
    public var readableBytes: Int { endIndex - readerIndex }

    /// True when every byte has been read.
    @inlinable
    public var isAtEnd: Bool { readerIndex >= endIndex }

    /// Moves the cursor forward by `count` bytes; returns false (and moves nothing) if too few remain.
    @inlinable
    @discardableResult
    public mutating func moveReaderIndex(forwardBy count: Int) -> Bool {
        guard count >= 0, count <= readableBytes else { return false }
        _readerIndex += count
        return true
    }

    /// Moves the cursor to an absolute index within this reader's window.
    @inlinable
    public mutating func moveReaderIndex(to index: Int) {
        precondition(index >= 0 && index <= endIndex, "index outside reader")
        _readerIndex = index
    }

    // MARK: Fixed-width integers

    /// Reads the big-endian integer at `index` without moving the cursor.
    @inlinable
    public func getInteger<T: FixedWidthInteger>(at index: Int, as: T.Type = T.self) -> T? {
        let size = MemoryLayout<T>.size
        guard index >= 0, index <= endIndex - size else { return nil }
        return storage.withUnsafeBytes { raw in
            T(bigEndian: raw.loadUnaligned(fromByteOffset: index, as: T.self))
        }
    }

    /// Reads a big-endian integer.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self) -> T? {
        guard let value = getInteger(at: readerIndex, as: T.self) else { return nil }
        _readerIndex += MemoryLayout<T>.size
        return value
    }

    // MARK: Variable-length integers

    /// Reads an unsigned varint of at most 5 bytes (Kafka's UNSIGNED_VARINT).
    ///
    /// Returns nil on short input; a varint longer than 5 bytes reads as nil
    /// too, and `readUnsignedVarintChecked` tells the two apart.
    @inlinable
    public mutating func readUnsignedVarint() -> UInt32? {
        guard case .value(let v, let length) = peekVarint(maxBytes: 5) else { return nil }
        _readerIndex += length
        return UInt32(truncatingIfNeeded: v)
    }

    /// Reads an unsigned varlong of at most 10 bytes.
    @inlinable
    public mutating func readUnsignedVarlong() -> UInt64? {
        guard case .value(let v, let length) = peekVarint(maxBytes: 10) else { return nil }
        _readerIndex += length
        return v
    }

    /// Reads a zigzag-encoded signed varint (Kafka's VARINT).
    @inlinable
    public mutating func readVarint() -> Int32? {
        guard let raw = readUnsignedVarint() else { return nil }
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a zigzag-encoded signed varlong (Kafka's VARLONG).
    @inlinable
    public mutating func readVarlong() -> Int64? {
        guard let raw = readUnsignedVarlong() else { return nil }
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// The outcome of looking at a varint without consuming it.
    public enum VarintPeek: Sendable, Equatable {
        case value(UInt64, length: Int)
        case needMoreBytes
        case tooLong
    }

    /// Decodes the varint at the cursor without consuming it.
    @inlinable
    public func peekVarint(maxBytes: Int) -> VarintPeek {
        storage.withUnsafeBufferPointer { buffer in
            var result: UInt64 = 0
            var shift: UInt64 = 0
            var index = readerIndex
            while index < endIndex {
                let byte = buffer[index]
                index += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return .value(result, length: index - readerIndex) }
                if index - readerIndex >= maxBytes { return .tooLong }
                shift += 7
            }
            return .needMoreBytes
        }
    }

    // MARK: Byte runs

    /// Reads `count` bytes into a new array.
    @inlinable
    public mutating func readBytes(count: Int) -> [UInt8]? {
        guard count >= 0, count <= readableBytes else { return nil }
        let start = readerIndex
        _readerIndex += count
        return Array(storage[start..<start + count])
    }

    /// Reads `count` bytes as a reader over the same storage (no copy).
    @inlinable
    public mutating func readSlice(count: Int) -> WireReader? {
        guard count >= 0, count <= readableBytes else { return nil }
        let slice = WireReader(storage: storage, range: readerIndex..<readerIndex + count)
        _readerIndex += count
        return slice
    }

    /// The unread bytes, as a copy.
    @inlinable
    public var remainingBytes: [UInt8] { Array(storage[readerIndex..<endIndex]) }

    /// Reads `count` bytes as a UTF-8 string; nil on short input or invalid UTF-8 (nothing consumed).
    @inlinable
    public mutating func readString(count: Int) -> String? {
        guard count >= 0, count <= readableBytes else { return nil }
        let start = readerIndex
        let decoded = storage.withUnsafeBufferPointer { buffer in
            String(validating: UnsafeBufferPointer(rebasing: buffer[start..<start + count]), as: UTF8.self)
        }
        guard let decoded else { return nil }
        _readerIndex += count
        return decoded
    }

    /// Reads a 16-byte UUID.
    @inlinable
    public mutating func readUUID() -> KafkaUUID? {
        guard readableBytes >= 16,
              let high = getInteger(at: readerIndex, as: UInt64.self),
              let low = getInteger(at: readerIndex + 8, as: UInt64.self) else { return nil }
        _readerIndex += 16
        return KafkaUUID(high: high, low: low)
    }
}
