#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KafkaWire

/// The producer's buffer: records encoded into per-partition batches as they
/// are sent, sealed when full or lingered, drained by the sender, and put back
/// on retriable errors, in sequence order. One lock guards it all; `send`
/// holds it only to append one record.
final class RecordAccumulator: Sendable {
    struct Settings: Sendable {
        var batchSize: Int
        var maxBatchRecords: Int = .max
        var linger: Duration
        var bufferMemory: Int
        var maxBufferedRecords: Int
        var maxRequestSize: Int
        var idempotent: Bool
        var maxInFlightPerPartition: Int
        var deliveryTimeout: Duration
        /// How long a record may wait for its topic's metadata (min of max.block.ms and
        /// delivery.timeout.ms): Java's send() blocks that long for it, then fails.
        var metadataWait: Duration
        var retryBackoff: Duration
        var retryBackoffMax: Duration
        var retries: Int
        var partitioner: Partitioner
        var partitionerOptions = PartitionerState.Options()
    }

    struct PartitionQueue {
        var open: ProducerBatch?
        /// The open batch's record count, size and creation time, kept beside it so
        /// that checking them does not copy the batch.
        var openRecords = 0
        var openBytes = 0
        var openCreatedAt: ContinuousClock.Instant?
        /// The size the last batch reached, to size the next one's buffer.
        var lastBatchBytes = 0
        /// Sealed batches, oldest (lowest sequence) first.
        var sealed: [ProducerBatch] = []
        var inFlight = 0
        /// In-flight batches stamped before the latest epoch bump.
        var staleInFlight = 0
        var nextSequence: Int32 = 0
        var lastAckedSequence: Int32 = -1
    }

    struct PendingRecord {
        var record: KafkaProducerRecord
        var id: UInt64
        var timestamp: Int64
        /// When it was sent, for `metadataWait`.
        var enqueuedAt: ContinuousClock.Instant
    }

    struct State {
        var table = ProducerTopicTable()
        /// Records for topics whose partition count is not known yet.
        var unpartitioned: [String: [PendingRecord]] = [:]
        var bufferedBytes = 0
        var bufferedRecords = 0
        var partitioner = PartitionerState()
        var nextId: UInt64 = 1
        var identity = ProducerIdentity.none
        var needsEpochBump = false
        /// Partitions whose sequence broke (a stamped batch failed, expired or was
        /// refused out of order): the epoch bump re-stamps their waiting batches. The
        /// other partitions' stamped batches keep their producer id, epoch and
        /// sequence, so the broker still recognises a retry of a batch it has
        /// written (KIP-360, as the Java client's `partitionsToRewriteSequences`).
        var partitionsToRestamp: Set<TopicPartition> = []
        /// A transactional producer's partitions registered with AddPartitionsToTxn
        /// in the current transaction; nil without transactions. Others wait.
        var transactionPartitions: Set<TopicPartition>?
        var flushRequested = false
        var isClosed = false
        /// Produce requests in flight per broker.
        var brokerInFlight: [Int32: Int] = [:]
        /// Per broker, the partition its next drain starts at (Java's `drainIndex`):
        /// where the last request ran out of room, so every partition gets its turn.
        var drainStart: [Int32: ProducerTopicTable.Position] = [:]
        var waiters: [UInt64: DeliveryWaiter] = [:]
        var spaceWaiters = WaiterList<Void>()
        var emptyWaiters = WaiterList<Void>()
        /// Buffers of delivered batches, reused for new ones: fresh pages cost more than encoding.
        var bufferPool: [[UInt8]] = []
    }

    let settings: Settings
    /// Shared by callers' tasks and the connection threads: a lock the thread sanitizer sees (`VisibleLock`).
    let state = VisibleLock(State())

    init(settings: Settings) {
        self.settings = settings
        state.withLock { $0.partitioner.options = settings.partitionerOptions }
    }

    /// Milliseconds since the epoch, for record timestamps. The coarse clock costs
    /// a memory read instead of a timer read and ticks every 1-4 ms, which is within
    /// what Kafka's millisecond timestamps promise.
    static func wallClockMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    // MARK: Appending

    /// The outcome of `append`.
    struct Appended {
        var id: UInt64
        /// True when the sender should look now (a batch filled, a new batch started, metadata needed).
        var wakeSender: Bool
    }

    /// Encodes `record` into its partition's open batch, with `trailingHeader` (if any)
    /// after its headers.
    ///
    /// - Throws: `.queueFull` when `buffer.memory` or the record limit is reached,
    ///   `.messageTooLarge` for a record over `max.request.size`, `.unknownTopicOrPartition`
    ///   for a partition the topic does not have, `.connectionClosed` after close.
    func append(_ record: KafkaProducerRecord, trailingHeader: BorrowedRecordHeader? = nil,
                waiter: DeliveryWaiter? = nil) throws(KafkaError) -> Appended {
        var size = record.estimatedSize
        if let trailingHeader {
            size += KafkaProducerRecord.estimatedSize(ofHeaderKey: trailingHeader.key.count, value: trailingHeader.value?.count)
        }
        guard size + RecordBatch.headerSize + 100 <= settings.maxRequestSize else {
            throw KafkaError(.messageTooLarge,
                             detail: "a record of about \(size) bytes exceeds max.request.size (\(settings.maxRequestSize) bytes)")
        }
        let timestamp = record.timestamp ?? Self.wallClockMilliseconds()
        return try state.withLock { (state) throws(KafkaError) -> Appended in
            guard !state.isClosed else { throw KafkaError(.connectionClosed, detail: "the producer is closed") }
            guard state.bufferedBytes + size <= settings.bufferMemory, state.bufferedRecords < settings.maxBufferedRecords else {
                throw KafkaError(.queueFull, detail: "the producer holds \(state.bufferedRecords) records (\(state.bufferedBytes) bytes) "
                                 + "awaiting delivery; buffer.memory is \(settings.bufferMemory) bytes")
            }
            let id = state.nextId
            state.nextId &+= 1
            if let waiter { state.waiters[id] = waiter }

            let slot = state.table.slot(for: record.topic)
            let count = state.table.partitionCount(slot: slot)
            // A record for a chosen partition waits for the topic's metadata too, as in the
            // Java client: its partition is checked against the count, and a topic without
            // metadata (missing, or answered with an error) fails it after max.block.ms
            // rather than after delivery.timeout.ms.
            guard let count else {
                // It waits in its own copy, with the borrowed header copied into its headers.
                var waiting = record
                if let trailingHeader { waiting.headers.append(KafkaHeader(trailingHeader.owned)) }
                state.unpartitioned[record.topic, default: []].append(PendingRecord(record: waiting, id: id, timestamp: timestamp,
                                                                                          enqueuedAt: .now))
                state.bufferedBytes += size
                state.bufferedRecords += 1
                return Appended(id: id, wakeSender: true)
            }
            let partition = record.partition ?? partitionLocked(&state, topic: record.topic, slot: slot, key: record.key, count: count)
            if partition < 0 || partition >= count {
                state.waiters[id] = nil
                throw KafkaError(.unknownTopicOrPartition, detail: "topic \(record.topic) has no partition \(partition) (it has \(count))",
                                 brokerErrorCode: .unknownTopicOrPartition)
            }
            let wake = appendLocked(&state, record: record, trailingHeader: trailingHeader, slot: slot, partition: partition, id: id,
                                    timestamp: timestamp, size: size)
            return Appended(id: id, wakeSender: wake)
        }
    }

    /// Appends to the open batch of `topic`-`partition`, sealing it first when the
    /// record would overflow `batch.size`. Returns true when the sender should look.
    func appendLocked(_ state: inout State, record: KafkaProducerRecord, trailingHeader: BorrowedRecordHeader? = nil, slot: Int,
                      partition: Int32, id: UInt64, timestamp: Int64, size: Int) -> Bool {
        var wake = false
        let batchSize = settings.batchSize
        let maxBatchRecords = settings.maxBatchRecords
        var pool = state.bufferPool
        state.bufferPool = []
        state.table.withQueue(slot: slot, partition: partition) { queue in
            if queue.openRecords > 0, queue.openBytes + size > batchSize || queue.openRecords >= maxBatchRecords {
                queue.sealOpenBatch()
                wake = true
            }
            if queue.openCreatedAt == nil {
                let now = ContinuousClock.now
                // Sized like the partition's last batch rather than batch.size, so lingered
                // small batches do not each reserve (and fault in) a full batch.size buffer.
                let estimate = max(min(batchSize, max(16_384, queue.lastBatchBytes + queue.lastBatchBytes / 4)), size + 128)
                let reusable = pool.last.map { $0.capacity >= estimate } ?? false
                queue.open = ProducerBatch(topicPartition: TopicPartition(topic: record.topic, partition: partition),
                                           estimatedSize: estimate, createdAt: now, reusing: reusable ? pool.removeLast() : [])
                queue.openCreatedAt = now
                queue.openBytes = RecordBatch.headerSize
                wake = true
            }
            queue.open!.append(record, trailingHeader: trailingHeader, id: id, timestamp: timestamp, size: size)
            queue.openRecords += 1
            queue.openBytes += size
        }
        state.bufferPool = pool
        state.bufferedBytes += size
        state.bufferedRecords += 1
        if record.partition == nil, state.partitioner.isSticky(key: record.key, using: settings.partitioner),
           state.partitioner.stickyAppended(topic: record.topic, partition: partition, bytes: size, batchSize: batchSize),
           let count = state.table.partitionCount(slot: slot) {
            let sizes = state.table.queueSizes(slot: slot, partitionCount: count)
            _ = state.partitioner.chooseSticky(for: record.topic, partitionCount: count, avoiding: partition, queueSizes: sizes, now: .now)
        }
        return wake
    }

    /// The partition for a record without one: the partitioner's choice, drawing a
    /// sticky partition (weighed by the queues' lengths) when one is due.
    private func partitionLocked(_ state: inout State, topic: String, slot: Int, key: [UInt8]?, count: Int32) -> Int32 {
        if let partition = state.partitioner.partition(for: topic, key: key, partitionCount: count, using: settings.partitioner) {
            return partition
        }
        let sizes = state.table.queueSizes(slot: slot, partitionCount: count)
        return state.partitioner.chooseSticky(for: topic, partitionCount: count, avoiding: nil, queueSizes: sizes, now: .now)
    }

    /// The partitions of `topic` that have a leader, and their leaders: the sticky
    /// partitioner only moves records to those (KIP-794), and skips those of a broker
    /// that stopped taking batches (`partitioner.availability.timeout.ms`).
    func updateLeaders(_ leaders: [Int32: Int32], for topic: String) {
        state.withLock { $0.partitioner.setLeaders(leaders, for: topic) }
    }

    /// Records how many partitions `topic` has, partitioning records that waited for it.
    /// Returns the records that cannot be placed (the topic does not exist or the partition is invalid).
    func updatePartitionCount(topic: String, count: Int32?) -> [PendingRecord] {
        state.withLock { state in
            guard let count, count > 0 else { return [] }
            let slot = state.table.slot(for: topic)
            state.table.setPartitionCount(count, slot: slot)
            guard let waiting = state.unpartitioned.removeValue(forKey: topic) else { return [] }
            var rejected: [PendingRecord] = []
            for pending in waiting {
                let size = pending.record.estimatedSize
                state.bufferedBytes -= size
                state.bufferedRecords -= 1
                let partition = pending.record.partition ?? partitionLocked(&state, topic: topic, slot: slot, key: pending.record.key, count: count)
                guard partition >= 0 && partition < count else {
                    rejected.append(pending)
                    continue
                }
                _ = appendLocked(&state, record: pending.record, slot: slot, partition: partition, id: pending.id,
                                 timestamp: pending.timestamp, size: size)
            }
            return rejected
        }
    }

    /// Takes every record waiting for its topic's metadata (the metadata cannot be had).
    func takeAllUnpartitioned() -> [PendingRecord] {
        state.withLock { state in takeUnpartitioned(&state, waitingSince: .now, all: true) }
    }

    /// Takes the records waiting for metadata since `deadline` or before, or all of them
    /// with `all`, and frees their buffer space.
    func takeUnpartitioned(_ state: inout State, waitingSince deadline: ContinuousClock.Instant, all: Bool) -> [PendingRecord] {
        guard !state.unpartitioned.isEmpty else { return [] }
        var taken: [PendingRecord] = []
        for topic in Array(state.unpartitioned.keys) {
            let waiting = state.unpartitioned[topic] ?? []
            // Oldest first: the expired ones are a prefix.
            let expired = all ? waiting.count : waiting.prefix { $0.enqueuedAt <= deadline }.count
            guard expired > 0 else { continue }
            for pending in waiting.prefix(expired) {
                state.bufferedBytes -= pending.record.estimatedSize
                state.bufferedRecords -= 1
                taken.append(pending)
            }
            state.unpartitioned[topic] = expired == waiting.count ? nil : Array(waiting.dropFirst(expired))
        }
        return taken
    }

    /// Takes the records waiting for `topic`'s metadata, which the cluster says does not exist.
    func rejectTopic(_ topic: String) -> [PendingRecord] {
        state.withLock { state in
            let waiting = state.unpartitioned.removeValue(forKey: topic) ?? []
            for pending in waiting {
                state.bufferedBytes -= pending.record.estimatedSize
                state.bufferedRecords -= 1
            }
            return waiting
        }
    }
}

extension RecordAccumulator.PartitionQueue {
    /// Moves the open batch to the end of the sealed ones.
    mutating func sealOpenBatch() {
        guard let batch = open.take() else { return }
        sealed.append(batch)
        lastBatchBytes = openBytes
        openRecords = 0
        openBytes = 0
        openCreatedAt = nil
    }
}
