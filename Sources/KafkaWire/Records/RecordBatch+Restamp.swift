extension RecordBatch {
    /// Rewrites an encoded batch's producer id, epoch and base sequence in place
    /// and recomputes its CRC: what an idempotent producer does to a batch it
    /// must re-send under a new epoch or with reset sequence numbers.
    ///
    /// - Throws: `.truncated` when `bytes` is shorter than a batch header, `.invalidValue` for a magic other than 2.
    public static func restamp(_ bytes: inout [UInt8], producerId: Int64, producerEpoch: Int16, baseSequence: Int32) throws(KafkaWireError) {
        guard bytes.count >= headerSize else {
            throw KafkaWireError(.truncated, field: "recordBatch", detail: "\(bytes.count) bytes is shorter than a batch header")
        }
        guard bytes[magicOffset] == 2 else {
            throw KafkaWireError(.invalidValue, field: "magic", detail: "cannot restamp a magic \(bytes[magicOffset]) message set")
        }
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: producerId.bigEndian, toByteOffset: 43, as: Int64.self)
            raw.storeBytes(of: producerEpoch.bigEndian, toByteOffset: 51, as: Int16.self)
            raw.storeBytes(of: baseSequence.bigEndian, toByteOffset: 53, as: Int32.self)
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[attributesOffset...]))
            raw.storeBytes(of: crc.bigEndian, toByteOffset: crcOffset, as: UInt32.self)
        }
    }
}
