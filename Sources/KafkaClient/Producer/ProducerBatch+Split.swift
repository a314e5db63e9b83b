import KafkaWire

/// Splitting a batch the broker refused as too large (MESSAGE_TOO_LARGE), as the
/// Java producer does: its records go out again in smaller batches rather than
/// all failing for the size of the batch they happened to share.
extension ProducerBatch {
    /// The batch's records in two batches, the first half and the rest; nil for a
    /// batch of one record (nothing smaller can be sent) or one not encoded yet.
    ///
    /// The halves keep the batch's creation time (`delivery.timeout.ms` runs on),
    /// its producer id, epoch and sequences: the first starts at its base sequence
    /// and the second right after, so together they fill the range the broker
    /// never accepted. A half still too large is split again when refused.
    func splitInHalves() -> (ProducerBatch, ProducerBatch)? {
        guard recordCount > 1, let bytes,
              // The finished bytes are the only copy of the records (compressed or not).
              let decoded = try? RecordBatchDecoder.decodeAll(bytes).first, decoded.records.count == recordCount else { return nil }
        let middle = recordCount / 2
        var first = part(decoded.records, 0..<middle, estimatedSize: bytes.count)
        var second = part(decoded.records, middle..<recordCount, estimatedSize: bytes.count)
        // Buffer space is released per batch, so the halves must add up to the whole.
        first.bufferedBytes = bufferedBytes * middle / recordCount
        second.bufferedBytes = bufferedBytes - first.bufferedBytes
        if baseSequence >= 0 { second.baseSequence = ProducerSequence.increment(baseSequence, by: middle) }
        return (first, second)
    }

    /// A new, unsent batch of `records[range]` with this batch's ids, timestamps and stamp.
    private func part(_ records: [Record], _ range: Range<Int>, estimatedSize: Int) -> ProducerBatch {
        var part = ProducerBatch(topicPartition: topicPartition, estimatedSize: estimatedSize, createdAt: createdAt)
        for index in range {
            part.encoder.append(records[index], offsetDelta: Int32(index - range.lowerBound))
        }
        part.ids = Array(ids[range])
        part.timestamps = Array(timestamps[range])
        part.identity = identity
        part.baseSequence = baseSequence
        return part
    }
}
