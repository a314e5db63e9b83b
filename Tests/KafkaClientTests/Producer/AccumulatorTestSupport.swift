import KafkaWire
@testable import KafkaClient

/// An accumulator with test-sized settings, driven without a sender or a broker.
enum AccumulatorTestSupport {
    static func accumulator(batchSize: Int = 16_384, maxRequestSize: Int = 1_048_576, idempotent: Bool = true,
                            linger: Duration = .zero) -> RecordAccumulator {
        RecordAccumulator(settings: .init(
            batchSize: batchSize, linger: linger, bufferMemory: 64 * 1024 * 1024, maxBufferedRecords: 1_000_000,
            maxRequestSize: maxRequestSize, idempotent: idempotent, maxInFlightPerPartition: 5,
            deliveryTimeout: .seconds(120), metadataWait: .seconds(60), retryBackoff: .milliseconds(100),
            retryBackoffMax: .seconds(1), retries: .max, partitioner: .default))
    }

    /// Appends `count` records of `valueSize` bytes to `topic`-`partition`.
    /// The topic is known with 64 partitions: records wait for metadata otherwise.
    static func append(_ accumulator: RecordAccumulator, topic: String, partition: Int32, count: Int, valueSize: Int = 10) throws {
        _ = accumulator.updatePartitionCount(topic: topic, count: 64)
        for index in 0..<count {
            let value = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: valueSize)
            _ = try accumulator.append(KafkaProducerRecord(topic: topic, partition: partition, key: nil as [UInt8]?, value: value))
        }
    }

    /// Seals what is open and drains, every partition led by broker 1.
    static func drain(_ accumulator: RecordAccumulator, maxInFlightPerBroker: Int = 5) -> RecordAccumulator.DrainResult {
        accumulator.requestFlush()
        return accumulator.drain(now: .now, maxInFlightPerBroker: maxInFlightPerBroker) { _ in 1 }
    }
}
