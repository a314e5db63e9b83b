import KafkaWire
import Testing
@testable import KafkaClient

/// KIP-794's uniform sticky partitioner for keyless records (issue: it moved on only
/// when a batch filled, so a producer whose batches left early by linger.ms sent every
/// keyless record to one partition, and it could pick a partition without a leader).
@Suite("Producer: the sticky partitioner")
struct StickyPartitionerTests {
    /// Sends `count` keyless records of about 100 bytes, draining after each (as
    /// lingering does under light load, so no batch ever fills); returns their partitions.
    static func partitions(of count: Int, accumulator: RecordAccumulator) throws -> [Int32] {
        var used: [Int32] = []
        for _ in 0..<count {
            _ = try accumulator.append(KafkaProducerRecord(topic: "t", value: [UInt8](repeating: 7, count: 100)))
            let drained = AccumulatorTestSupport.drain(accumulator)
            for batch in drained.requests.values.flatMap({ $0 }) {
                used.append(batch.topicPartition.partition)
                accumulator.requestFinished(broker: 1)
                _ = accumulator.acknowledged(batch) { _ in ProducerSequenceWrapTests.report() }
            }
        }
        return used
    }

    @Test("keyless records move to another partition after batch.size bytes, though every batch left before filling")
    func switchesByBytes() throws {
        let accumulator = AccumulatorTestSupport.accumulator(batchSize: 1_000, idempotent: false)
        _ = accumulator.updatePartitionCount(topic: "t", count: 4)
        let used = try Self.partitions(of: 40, accumulator: accumulator)
        #expect(used.count == 40)
        // About ten records of ~100 bytes fill batch.size: runs of at most a dozen.
        var longest = 0, run = 0, previous: Int32?
        for partition in used {
            run = partition == previous ? run + 1 : 1
            longest = max(longest, run)
            previous = partition
        }
        #expect(longest <= 12, "a run of \(longest) records on one partition: \(used)")
        #expect(Set(used).count > 1)
    }

    @Test("partitions without a leader are not chosen")
    func skipsLeaderless() throws {
        let accumulator = AccumulatorTestSupport.accumulator(batchSize: 300, idempotent: false)
        _ = accumulator.updatePartitionCount(topic: "t", count: 4)
        accumulator.updateAvailablePartitions([1, 3], for: "t")
        let used = try Self.partitions(of: 60, accumulator: accumulator)
        #expect(Set(used) == [1, 3], "\(Set(used))")
    }
}
