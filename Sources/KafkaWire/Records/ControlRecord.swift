/// The type of a control record, from its key.
public struct ControlRecordType: Hashable, Sendable, CustomStringConvertible {
    /// The type as written in the control key.
    public var rawValue: Int16

    @inlinable
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// A transaction was aborted.
    public static let abort = ControlRecordType(rawValue: 0)
    /// A transaction was committed.
    public static let commit = ControlRecordType(rawValue: 1)
    /// KRaft leader change (internal topics).
    public static let leaderChange = ControlRecordType(rawValue: 2)

    /// The type in a control record's key (int16 version, int16 type), or nil when the key
    /// is too short to hold one.
    public init?(controlKeyOf record: Record) {
        guard let key = record.key, key.count >= 4 else { return nil }
        let typeStart = key.index(key.startIndex, offsetBy: 2)
        self.init(rawValue: Int16(bitPattern: UInt16(key[typeStart]) << 8 | UInt16(key[key.index(after: typeStart)])))
    }

    public var description: String {
        switch rawValue {
        case 0: "abort"
        case 1: "commit"
        case 2: "leaderChange"
        default: "type \(rawValue)"
        }
    }
}

/// A control record of a control batch: key int16 version + int16 type; for
/// abort/commit markers the value is int16 version + int32 coordinator epoch.
///
/// The type comes from the key alone, as the Java client reads it: some brokers
/// (franz-go's kfake) write markers with a key and no value, and a consumer only
/// needs the type.
public struct ControlRecord: Hashable, Sendable {
    /// The control key's version (0 today).
    public var keyVersion: Int16
    /// What this control record marks.
    public var type: ControlRecordType
    /// For abort/commit markers: the value's version (nil when the broker wrote no value).
    public var markerVersion: Int16?
    /// For abort/commit markers: the epoch of the transaction coordinator that wrote it
    /// (nil when the broker wrote no value).
    public var coordinatorEpoch: Int32?

    /// A transaction marker (commit or abort) written by coordinator epoch `coordinatorEpoch`.
    public init(type: ControlRecordType, coordinatorEpoch: Int32, keyVersion: Int16 = 0, markerVersion: Int16 = 0) {
        self.keyVersion = keyVersion
        self.type = type
        self.markerVersion = markerVersion
        self.coordinatorEpoch = coordinatorEpoch
    }

    /// Parses the control data of `record` (from a batch whose control bit is set).
    public init(_ record: Record) throws(KafkaWireError) {
        guard let key = record.key.map(Array.init), key.count >= 4 else {
            throw KafkaWireError(.invalidLength, field: "controlRecord.key", detail: "control key needs 4 bytes")
        }
        keyVersion = Int16(bitPattern: UInt16(key[0]) << 8 | UInt16(key[1]))
        type = ControlRecordType(rawValue: Int16(bitPattern: UInt16(key[2]) << 8 | UInt16(key[3])))
        markerVersion = nil
        coordinatorEpoch = nil
        // A marker without a value still marks; a value that is there must be whole.
        guard type == .abort || type == .commit, let value = record.value.map(Array.init) else { return }
        guard value.count >= 6 else {
            throw KafkaWireError(.invalidLength, field: "controlRecord.value", detail: "transaction marker needs 6 bytes")
        }
        markerVersion = Int16(bitPattern: UInt16(value[0]) << 8 | UInt16(value[1]))
        var epoch: UInt32 = 0
        for index in 2..<6 { epoch = epoch << 8 | UInt32(value[index]) }
        coordinatorEpoch = Int32(bitPattern: epoch)
    }

    /// The record key bytes.
    public var keyBytes: [UInt8] {
        var writer = WireWriter(reservingCapacity: 4)
        writer.write(keyVersion)
        writer.write(type.rawValue)
        return writer.bytes
    }

    /// The record value bytes (nil when this is not a transaction marker).
    public var valueBytes: [UInt8]? {
        guard let coordinatorEpoch else { return nil }
        var writer = WireWriter(reservingCapacity: 6)
        writer.write(markerVersion ?? 0)
        writer.write(coordinatorEpoch)
        return writer.bytes
    }
}

extension RecordBatch {
    /// The control records of a control batch, parsed; throws for malformed keys.
    public func controlRecords() throws(KafkaWireError) -> [ControlRecord] {
        guard attributes.isControl else {
            throw KafkaWireError(.invalidValue, field: "attributes", detail: "not a control batch")
        }
        var out: [ControlRecord] = []
        out.reserveCapacity(records.count)
        for record in records { out.append(try ControlRecord(record)) }
        return out
    }
}
