extension RecordBatchEncoder {
    /// Encodes a transactional control batch holding one marker record, as a
    /// transaction coordinator writes on commit or abort.
    public static func controlBatch(
        _ marker: ControlRecord,
        producerId: Int64,
        producerEpoch: Int16,
        timestamp: Int64,
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = -1
    ) throws(KafkaWireError) -> [UInt8] {
        var encoder = RecordBatchEncoder(
            baseOffset: baseOffset,
            partitionLeaderEpoch: partitionLeaderEpoch,
            attributes: RecordBatchAttributes(isTransactional: true, isControl: true),
            producerId: producerId,
            producerEpoch: producerEpoch,
            baseSequence: -1,
            estimatedSize: 128)
        encoder.append(key: marker.keyBytes, value: marker.valueBytes, timestamp: timestamp)
        return try encoder.finish()
    }
}
