/// An append-only buffer for encoding Kafka protocol bytes. Big-endian throughout.
public struct WireWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    @inlinable
    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    @inlinable
    public var count: Int { bytes.count }

    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Fixed-width integers

    @inlinable
    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func writeBool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    @inlinable
    public mutating func writeFloat64(_ value: Double) {
        write(value.bitPattern)
    }

    @inlinable
    public mutating func writeUUID(_ value: KafkaUUID) {
        write(value.high)
        write(value.low)
    }

    /// Overwrites a big-endian integer at an earlier position (to back-patch lengths and CRCs).
    @inlinable
    public mutating func setInteger<T: FixedWidthInteger>(_ value: T, at index: Int) {
        precondition(index >= 0 && index + MemoryLayout<T>.size <= bytes.count, "setInteger outside written bytes")
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: value.bigEndian, toByteOffset: index, as: T.self)
        }
    }

    /// Appends `count` zero bytes and returns the index of the first: a placeholder to back-patch.
    @inlinable
    public mutating func reserve(_ count: Int) -> Int {
        let index = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        return index
    }

    // MARK: Variable-length integers

    @inlinable
    public mutating func writeUnsignedVarint(_ value: UInt32) {
        writeUnsignedVarlong(UInt64(value))
    }

    @inlinable
    public mutating func writeUnsignedVarlong(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inlinable
    public mutating func writeVarint(_ value: Int32) {
        writeUnsignedVarint(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    @inlinable
    public mutating func writeVarlong(_ value: Int64) {
        writeUnsignedVarlong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The number of bytes `writeUnsignedVarlong(value)` takes.
    @inlinable
    public static func unsignedVarintSize(_ value: UInt64) -> Int {
        // 7 bits a byte; zero still takes one.
        max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }

    /// The number of bytes `writeVarint`/`writeVarlong` of `value` takes.
    @inlinable
    public static func varlongSize(_ value: Int64) -> Int {
        unsignedVarintSize(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    // MARK: Byte runs

    @inlinable
    public mutating func writeBytes(_ source: some Sequence<UInt8>) {
        bytes.append(contentsOf: source)
    }

    @inlinable
    public mutating func writeBytes(_ source: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: source)
    }

    /// Appends the UTF-8 bytes of `string` (no length prefix).
    @inlinable
    public mutating func writeStringBytes(_ string: String) {
        var copy = string
        copy.withUTF8 { bytes.append(contentsOf: $0) }
    }
}
