/// A decoded batch of records.
///
/// Magic-2 batches map field for field. A legacy (magic 0/1) message or
/// compressed wrapper decodes to a batch too, with `magic` 0 or 1, no
/// producer state (-1) and the records it holds.
public struct RecordBatch: Hashable, Sendable {
    /// The offset of the first record.
    public var baseOffset: Int64
    /// The leader epoch the broker stamped (-1 when unknown; legacy sets have none).
    public var partitionLeaderEpoch: Int32
    /// The format version: 2, or 0/1 for legacy message sets.
    public var magic: Int8
    /// The stored CRC (CRC32C for magic 2; CRC32 of the outer message for legacy).
    public var crc: UInt32
    /// Codec, timestamp type and transactional/control flags.
    public var attributes: RecordBatchAttributes
    /// The offset of the last record minus `baseOffset`.
    public var lastOffsetDelta: Int32
    /// The first record's timestamp (or the delete horizon, see ``RecordBatchAttributes/hasDeleteHorizon``).
    public var baseTimestamp: Int64
    /// The largest record timestamp (the append time for `logAppendTime` batches).
    public var maxTimestamp: Int64
    /// The idempotent producer id, or -1.
    public var producerId: Int64
    /// The idempotent producer's epoch, or -1.
    public var producerEpoch: Int16
    /// The sequence number of the first record, or -1.
    public var baseSequence: Int32
    /// The records, with absolute offsets and timestamps.
    public var records: [Record]

    /// Creates a batch value (decoders fill every field; tests and tools may build one directly).
    public init(
        baseOffset: Int64,
        partitionLeaderEpoch: Int32 = -1,
        magic: Int8 = 2,
        crc: UInt32 = 0,
        attributes: RecordBatchAttributes = RecordBatchAttributes(),
        lastOffsetDelta: Int32,
        baseTimestamp: Int64,
        maxTimestamp: Int64,
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1,
        records: [Record]
    ) {
        self.baseOffset = baseOffset
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.records = records
    }

    /// The offset of the last record in the batch (even if compaction removed it).
    @inlinable
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }

    /// The offset a consumer fetches next after this batch.
    @inlinable
    public var nextOffset: Int64 { lastOffset &+ 1 }

    /// The size of a magic-2 batch header, up to the first record.
    public static let headerSize = 61
    /// Bytes before the batch length field's span starts (base offset + length).
    public static let logOverhead = 12
    /// Where the CRC-covered span starts (the attributes field).
    static let attributesOffset = 21
    static let crcOffset = 17
    static let magicOffset = 16
}
