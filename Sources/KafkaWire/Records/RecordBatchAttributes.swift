/// The 16-bit attributes of a record batch (magic 2); legacy messages use the low byte.
///
/// Bits 0-2 compression codec, bit 3 timestamp type, bit 4 transactional,
/// bit 5 control batch, bit 6 delete horizon set; the rest are unused.
public struct RecordBatchAttributes: Hashable, Sendable {
    /// The attributes as written on the wire.
    public var rawValue: Int16

    /// Wraps attributes read from the wire; unknown bits are kept.
    @inlinable
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// Builds attributes from their parts.
    public init(
        compression: CompressionCodec = .none,
        timestampType: TimestampType = .createTime,
        isTransactional: Bool = false,
        isControl: Bool = false,
        hasDeleteHorizon: Bool = false
    ) {
        var raw = Int16(compression.rawValue)
        if timestampType == .logAppendTime { raw |= Self.timestampTypeBit }
        if isTransactional { raw |= Self.transactionalBit }
        if isControl { raw |= Self.controlBit }
        if hasDeleteHorizon { raw |= Self.deleteHorizonBit }
        rawValue = raw
    }

    @usableFromInline static let compressionMask: Int16 = 0x07
    @usableFromInline static let timestampTypeBit: Int16 = 0x08
    @usableFromInline static let transactionalBit: Int16 = 0x10
    @usableFromInline static let controlBit: Int16 = 0x20
    @usableFromInline static let deleteHorizonBit: Int16 = 0x40

    /// The codec bits; throws `unsupportedCompression` for the unused values 5-7.
    @inlinable
    public func compression() throws(KafkaWireError) -> CompressionCodec {
        try CompressionCodec(attributeBits: Int(rawValue))
    }

    /// The raw codec bits (0-7).
    @inlinable
    public var compressionBits: Int { Int(rawValue & Self.compressionMask) }

    /// Whether timestamps are producer create times or broker append times.
    @inlinable
    public var timestampType: TimestampType {
        get { rawValue & Self.timestampTypeBit != 0 ? .logAppendTime : .createTime }
        set { set(Self.timestampTypeBit, newValue == .logAppendTime) }
    }

    /// The batch belongs to a transaction.
    @inlinable
    public var isTransactional: Bool {
        get { rawValue & Self.transactionalBit != 0 }
        set { set(Self.transactionalBit, newValue) }
    }

    /// The batch holds control records (transaction markers), not user data.
    @inlinable
    public var isControl: Bool {
        get { rawValue & Self.controlBit != 0 }
        set { set(Self.controlBit, newValue) }
    }

    /// The base timestamp is a delete horizon set by log compaction (KIP-534).
    @inlinable
    public var hasDeleteHorizon: Bool {
        get { rawValue & Self.deleteHorizonBit != 0 }
        set { set(Self.deleteHorizonBit, newValue) }
    }

    /// Replaces the codec bits.
    @inlinable
    public mutating func setCompression(_ codec: CompressionCodec) {
        rawValue = (rawValue & ~Self.compressionMask) | Int16(codec.rawValue)
    }

    @usableFromInline
    mutating func set(_ bit: Int16, _ on: Bool) {
        rawValue = on ? rawValue | bit : rawValue & ~bit
    }
}
