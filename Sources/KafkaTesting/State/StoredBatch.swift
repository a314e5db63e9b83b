import KafkaWire

/// One record batch (magic 2) as the fake keeps it: the producer's bytes with the
/// base offset and partition leader epoch written in, and the header fields the
/// log needs read out at fixed positions.
struct StoredBatch: Sendable {
    private(set) var bytes: [UInt8]
    let recordCount: Int
    let producerId: Int64
    let producerEpoch: Int16
    let baseSequence: Int32
    var baseOffset: Int64 { read(Int64.self, at: 0) }
    var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    var leaderEpoch: Int32 { read(Int32.self, at: 12) }
    var maxTimestamp: Int64 { read(Int64.self, at: 35) }
    /// Part of a transaction (attributes bit 4).
    var isTransactional: Bool { read(Int16.self, at: 21) & 0x10 != 0 }
    /// A control batch: a transaction marker, never user data (attributes bit 5).
    var isControl: Bool { read(Int16.self, at: 21) & 0x20 != 0 }
    /// Sequences wrap from Int32.max to 0.
    var lastSequence: Int32 { Int32((Int64(baseSequence) + Int64(lastOffsetDelta)) % (Int64(Int32.max) + 1)) }
    private var lastOffsetDelta: Int32 { read(Int32.self, at: 23) }

    /// Splits a produce request's `records` into batches, checking each one's
    /// framing, magic and CRC as a broker does before appending anything.
    static func split(_ records: [UInt8]) -> Result<[StoredBatch], KafkaErrorCode> {
        var batches: [StoredBatch] = []
        var offset = 0
        while offset < records.count {
            guard records.count - offset >= RecordBatch.headerSize else { return .failure(.corruptMessage) }
            let length = Int(Int32(bigEndian: records.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 8, as: Int32.self) }))
            let size = length + RecordBatch.logOverhead
            guard length >= RecordBatch.headerSize - RecordBatch.logOverhead, size <= records.count - offset else { return .failure(.corruptMessage) }
            guard records[offset + 16] == 2 else { return .failure(.unsupportedForMessageFormat) }
            let batch = StoredBatch(Array(records[offset ..< offset + size]))
            let crc = UInt32(bigEndian: batch.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 17, as: UInt32.self) })
            guard crc == batch.bytes.withUnsafeBytes({ CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }),
                  batch.recordCount > 0, batch.lastOffsetDelta == Int32(batch.recordCount - 1) else {
                return .failure(.corruptMessage)
            }
            batches.append(batch)
            offset += size
        }
        return batches.isEmpty ? .failure(.corruptMessage) : .success(batches)
    }

    /// The control batch a transaction coordinator has written to a partition when
    /// the transaction ends: one record, key = version 0 + type (0 abort, 1 commit),
    /// value = version 0 + the coordinator epoch (the 6-byte EndTransactionMarker).
    static func marker(commit: Bool, producerId: Int64, producerEpoch: Int16, coordinatorEpoch: Int32,
                       timestamp: Int64) throws(KafkaWireError) -> StoredBatch {
        let record = ControlRecord(type: commit ? .commit : .abort, coordinatorEpoch: coordinatorEpoch)
        let bytes = try RecordBatchEncoder.controlBatch(record, producerId: producerId, producerEpoch: producerEpoch,
                                                        timestamp: timestamp)
        return StoredBatch(bytes)
    }

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
        producerId = Self.read(Int64.self, at: 43, in: bytes)
        producerEpoch = Self.read(Int16.self, at: 51, in: bytes)
        baseSequence = Self.read(Int32.self, at: 53, in: bytes)
        recordCount = Int(Self.read(Int32.self, at: 57, in: bytes))
    }

    /// Places the batch in the log: base offset and leader epoch lie outside the CRC.
    mutating func assign(baseOffset: Int64, leaderEpoch: Int32) {
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: baseOffset.bigEndian, toByteOffset: 0, as: Int64.self)
            raw.storeBytes(of: leaderEpoch.bigEndian, toByteOffset: 12, as: Int32.self)
        }
    }

    private func read<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T { Self.read(T.self, at: offset, in: bytes) }

    private static func read<T: FixedWidthInteger>(_: T.Type, at offset: Int, in bytes: [UInt8]) -> T {
        T(bigEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
    }
}
