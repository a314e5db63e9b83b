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
        accumulator.updateLeaders([1: 1, 3: 1], for: "t")
        let used = try Self.partitions(of: 60, accumulator: accumulator)
        #expect(Set(used) == [1, 3], "\(Set(used))")
    }

    @Test("adaptive: a new sticky partition is drawn less often the longer its queue (weights max + 1 - own)")
    func adaptiveWeights() {
        var state = PartitionerState()
        state.setLeaders([0: 1, 1: 2, 2: 3], for: "t")
        var counts: [Int32: Int] = [:]
        for _ in 0..<3_000 {
            // Partition 0's broker keeps up; 1 and 2 have nine batches waiting: weights 10, 1, 1.
            let chosen = state.chooseSticky(for: "t", partitionCount: 3, avoiding: nil, queueSizes: [0, 9, 9], now: .now)
            counts[chosen, default: 0] += 1
        }
        #expect(counts[0, default: 0] > 2_200, "\(counts)")  // expected 2,500
        #expect(counts[1, default: 0] > 100 && counts[2, default: 0] > 100, "every partition keeps a chance: \(counts)")

        state.options.adaptive = false
        counts = [:]
        for _ in 0..<3_000 {
            counts[state.chooseSticky(for: "t", partitionCount: 3, avoiding: nil, queueSizes: [0, 9, 9], now: .now), default: 0] += 1
        }
        #expect(counts.values.allSatisfy { $0 > 800 }, "uniform without adaptive partitioning: \(counts)")
    }

    @Test("partitioner.availability.timeout.ms: a broker with batches ready but none taken for longer is skipped until it takes one")
    func availabilityTimeout() {
        var state = PartitionerState()
        state.options.availabilityTimeout = .milliseconds(100)
        state.setLeaders([0: 1, 1: 2, 2: 1, 3: 2], for: "t")
        let start = ContinuousClock.now
        state.brokerReady(1, drained: true, now: start)
        state.brokerReady(2, drained: true, now: start)
        // Broker 2 stays at its in-flight limit for 300 ms; broker 1 keeps taking batches.
        state.brokerReady(1, drained: true, now: start + .milliseconds(300))
        state.brokerReady(2, drained: false, now: start + .milliseconds(300))
        let chosen = Set((0..<200).map { _ in
            state.chooseSticky(for: "t", partitionCount: 4, avoiding: nil, queueSizes: [0, 0, 0, 0], now: start + .milliseconds(300))
        })
        #expect(chosen == [0, 2], "\(chosen)")

        state.brokerReady(2, drained: true, now: start + .milliseconds(350))
        let after = Set((0..<200).map { _ in
            state.chooseSticky(for: "t", partitionCount: 4, avoiding: nil, queueSizes: [0, 0, 0, 0], now: start + .milliseconds(350))
        })
        #expect(after == [0, 1, 2, 3], "broker 2 caught up: \(after)")

        // Without a timeout (the default) nothing is skipped.
        var plain = PartitionerState()
        plain.setLeaders([0: 1, 1: 2], for: "t")
        plain.brokerReady(2, drained: true, now: start)
        plain.brokerReady(2, drained: false, now: start + .seconds(10))
        #expect(Set((0..<100).map { _ in plain.chooseSticky(for: "t", partitionCount: 2, avoiding: nil, queueSizes: [0, 0], now: .now) }) == [0, 1])
    }

    @Test("partitioner.ignore.keys: keyed records are spread like keyless ones")
    func ignoreKeys() throws {
        var settings = AccumulatorTestSupport.accumulator(batchSize: 300, idempotent: false).settings
        settings.partitionerOptions.ignoreKeys = true
        let accumulator = RecordAccumulator(settings: settings)
        _ = accumulator.updatePartitionCount(topic: "t", count: 4)
        var used: Set<Int32> = []
        for _ in 0..<60 {
            _ = try accumulator.append(KafkaProducerRecord(topic: "t", key: Array("same key".utf8), value: [UInt8](repeating: 7, count: 100)))
            for batch in AccumulatorTestSupport.drain(accumulator).requests.values.flatMap({ $0 }) {
                used.insert(batch.topicPartition.partition)
                accumulator.requestFinished(broker: 1)
                _ = accumulator.acknowledged(batch) { _ in ProducerSequenceWrapTests.report() }
            }
        }
        #expect(used.count > 1, "one key, yet \(used.count) partitions")
    }
}
