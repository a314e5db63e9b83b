extension RecordBatch {
    /// Encodes this batch as magic 2, keeping its header fields as they are
    /// (offsets, epochs, timestamps, producer state and flags) and compressing
    /// the records with `compression` (the codec bits are set to match).
    ///
    /// Record offsets are written relative to `baseOffset` and timestamps
    /// relative to `baseTimestamp`. For `logAppendTime` batches the decoded
    /// records all carry `maxTimestamp`, so they re-encode with that timestamp.
    /// Throws `unsupportedMagic` for legacy (magic 0/1) batches, which are never written.
    public func encode(compression: CompressionCodec = .none, level: Int? = nil) throws(KafkaWireError) -> [UInt8] {
        guard magic == 2 else {
            throw KafkaWireError(.unsupportedMagic, field: "magic", detail: "only magic 2 batches are encoded, not magic \(magic)")
        }
        let estimate = records.reduce(RecordBatch.headerSize) { total, record in
            total + 32 + (record.key?.count ?? 0) + (record.value?.count ?? 0)
                + record.headers.reduce(0) { $0 + 16 + $1.key.utf8.count + ($1.value?.count ?? 0) }
        }
        var encoder = RecordBatchEncoder(
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch, attributes: attributes,
            producerId: producerId, producerEpoch: producerEpoch, baseSequence: baseSequence,
            estimatedSize: estimate)
        encoder.headerOverride = (lastOffsetDelta, baseTimestamp, maxTimestamp)
        // The first record fixes the encoder's base timestamp, so start from ours.
        encoder.baseTimestamp = baseTimestamp
        for record in records {
            let delta = record.offset &- baseOffset
            guard let offsetDelta = Int32(exactly: delta) else {
                throw KafkaWireError(.invalidValue, field: "records.offset", detail: "offset \(record.offset) is out of range of base offset \(baseOffset)")
            }
            encoder.append(record, offsetDelta: offsetDelta)
        }
        return try encoder.finish(compression: compression, level: level)
    }
}
