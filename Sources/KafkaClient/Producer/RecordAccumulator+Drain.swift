import KafkaWire

/// Choosing what to send: per broker one request of at most one batch per
/// partition, within the in-flight limits, in sequence order.
extension RecordAccumulator {
    struct DrainResult {
        /// Batches to send, by leader broker; each list becomes one Produce request.
        var requests: [Int32: [ProducerBatch]] = [:]
        /// Batches past `delivery.timeout.ms`, to fail.
        var expired: [ProducerBatch] = []
        /// Records that waited `metadataWait` for their topic's metadata, to fail.
        var expiredRecords: [PendingRecord] = []
        /// Topics whose leaders are unknown.
        var needsMetadata: Set<String> = []
        /// When to look again even if nothing happens.
        var nextWake: ContinuousClock.Instant?
        /// True when an epoch bump is due and nothing is in flight any more.
        var readyForEpochBump = false
        /// Partitions with batches to send that the transaction has not registered yet.
        var partitionsToAdd: Set<TopicPartition> = []
    }

    /// Takes what can be sent now. `leader` maps a partition to its leader's node id.
    func drain(now: ContinuousClock.Instant, maxInFlightPerBroker: Int, leader: (TopicPartition) -> Int32?) -> DrainResult {
        state.withLock { state in
            var result = DrainResult()
            let flushing = state.flushRequested || state.isClosed
            let bumping = state.needsEpochBump
            var anyInFlight = false
            // Partitions with a batch that may go now, by leader, in position order.
            var candidates: [Int32: [ProducerTopicTable.Position]] = [:]
            // Open batches past their linger behind sealed ones that have not gone yet.
            var dueBehindSealed: [ProducerTopicTable.Position] = []
            // Brokers with a batch ready, for the partitioner's availability timeout (only kept when one is set).
            let tracksAvailability = settings.partitionerOptions.availabilityTimeout > .zero
            var readyBrokers: Set<Int32> = []

            var table = state.table
            state.table = ProducerTopicTable()
            defer { state.table = table }
            table.forEachQueue { position, key, queue in
                if queue.inFlight > 0 { anyInFlight = true }
                expire(&queue, now: now, into: &result.expired, state: &state)
                if let createdAt = queue.openCreatedAt {
                    let due = createdAt.advanced(by: settings.linger)
                    if flushing || (due <= now && queue.sealed.isEmpty) {
                        queue.sealOpenBatch()
                    } else if due <= now {
                        // A batch waits to be sent already (in-flight limits): this one stays
                        // open and takes the records that come meanwhile, as Java closes a
                        // batch only when it drains it. Sealing one per drain made batches of a
                        // record or two with linger.ms=0, which then queued behind each other.
                        dueBehindSealed.append(position)
                    } else {
                        result.nextWake = min(result.nextWake ?? due, due)
                    }
                }
                guard !bumping, !queue.sealed.isEmpty else { return }
                if let notBefore = queue.sealed[0].notBefore, notBefore > now {
                    result.nextWake = min(result.nextWake ?? notBefore, notBefore)
                    return
                }
                guard queue.inFlight < settings.maxInFlightPerPartition else { return }
                // The leader first: as the Java producer waits for a topic's metadata before
                // its records can join a transaction, so AddPartitionsToTxn never names a
                // topic the cluster does not know yet (the Metadata request creates it
                // where auto-creation is on).
                guard let broker = leader(key) else {
                    result.needsMetadata.insert(key.topic)
                    return
                }
                if tracksAvailability { readyBrokers.insert(broker) }
                if let registered = state.transactionPartitions, !registered.contains(key) {
                    result.partitionsToAdd.insert(key)
                    return
                }
                guard state.brokerInFlight[broker, default: 0] < maxInFlightPerBroker else { return }
                // New batches wait for those stamped before an epoch bump to be answered.
                if needsStamp(queue.sealed[0]) && queue.staleInFlight > 0 { return }
                candidates[broker, default: []].append(position)
            }
            for (broker, positions) in candidates {
                let batches = takeRequest(for: broker, from: positions, table: &table, state: &state)
                result.requests[broker] = batches
                state.brokerInFlight[broker, default: 0] += 1
            }
            for position in dueBehindSealed {
                // The batch ahead went in this drain: seal this one and look again at once.
                let sealed: Bool = table.withQueue(at: position) { queue in
                    guard queue.sealed.isEmpty else { return false }
                    queue.sealOpenBatch()
                    return true
                }
                if sealed { result.nextWake = now }
            }
            for broker in readyBrokers { state.partitioner.brokerReady(broker, drained: candidates[broker] != nil, now: now) }
            if bumping && !anyInFlight && result.requests.isEmpty { result.readyForEpochBump = true }
            if !state.unpartitioned.isEmpty {
                result.expiredRecords = takeUnpartitioned(&state, waitingSince: now.advanced(by: .zero - settings.metadataWait), all: false)
                result.needsMetadata.formUnion(state.unpartitioned.keys)
                if let oldest = state.unpartitioned.values.compactMap(\.first?.enqueuedAt).min() {
                    let due = oldest.advanced(by: settings.metadataWait)
                    result.nextWake = min(result.nextWake ?? due, due)
                }
            }
            return result
        }
    }

    /// True when `batch` gets the current producer id, epoch and a new sequence when
    /// sent. Only unstamped batches do: a retry keeps the identity and sequence it was
    /// first sent with, so the broker can tell it is a duplicate; an epoch bump unstamps
    /// the batches of the partitions whose sequence broke (`installIdentity`).
    private func needsStamp(_ batch: ProducerBatch) -> Bool {
        settings.idempotent && batch.identity == nil
    }

    /// One request's batches for `broker`, at most one per partition and within
    /// `max.request.size`, taken from the partitions at `positions` (never empty)
    /// starting where the broker's last request ran out of room, as Java's
    /// `drainIndex` does; else the first partitions would take every request and
    /// the others wait until their records expire.
    private func takeRequest(for broker: Int32, from positions: [ProducerTopicTable.Position], table: inout ProducerTopicTable,
                             state: inout State) -> [ProducerBatch] {
        let first = state.drainStart[broker].flatMap { start in positions.firstIndex { $0 >= start } } ?? 0
        var batches: [ProducerBatch] = []
        var used = 0
        var leftOut: ProducerTopicTable.Position?
        for offset in positions.indices {
            let position = positions[(first + offset) % positions.count]
            let batch: ProducerBatch? = table.withQueue(at: position) { queue in
                let size = queue.sealed[0].sizeInBytes
                guard used == 0 || used + size <= settings.maxRequestSize else { return nil }
                // Moved out, so the batch's buffers stay uniquely referenced and finish in place.
                var batch = queue.sealed.removeFirst()
                if needsStamp(batch) {
                    batch.identity = state.identity
                    batch.baseSequence = queue.nextSequence
                    queue.nextSequence = ProducerSequence.increment(queue.nextSequence, by: batch.recordCount)
                } else if let stamped = batch.identity, stamped.generation != state.identity.generation {
                    queue.staleInFlight += 1  // a retry from before an epoch bump
                }
                queue.inFlight += 1
                batch.attempts += 1
                used += size
                return batch
            }
            if let batch {
                batches.append(batch)
            } else if leftOut == nil {
                leftOut = position
            }
        }
        // The first partition left out goes first next time; with room for all, the
        // rotation still moves on by one.
        state.drainStart[broker] = leftOut ?? positions[(first + 1) % positions.count]
        return batches
    }

    /// Moves batches past `delivery.timeout.ms` that are not in flight into `expired`.
    private func expire(_ queue: inout PartitionQueue, now: ContinuousClock.Instant, into expired: inout [ProducerBatch],
                        state: inout State) {
        let timeout = settings.deliveryTimeout
        while let first = queue.sealed.first, first.createdAt.advanced(by: timeout) <= now {
            queue.sealed.removeFirst()
            if first.identity != nil {
                state.needsEpochBump = true
                state.partitionsToRestamp.insert(first.topicPartition)
            }
            expired.append(first)
        }
        if let createdAt = queue.openCreatedAt, createdAt.advanced(by: timeout) <= now {
            queue.sealOpenBatch()
            expired.append(queue.sealed.removeLast())
        }
    }

    /// Buffered bytes and records, and Produce requests in flight, for metrics.
    var usage: (bytes: Int, records: Int, inFlightRequests: Int) {
        state.withLock { ($0.bufferedBytes, $0.bufferedRecords, $0.brokerInFlight.values.reduce(0, +)) }
    }

    /// Asks the sender to send everything now rather than after `linger.ms`.
    func requestFlush() {
        state.withLock { $0.flushRequested = true }
    }

    /// Waits until every record sent so far has its report, or until the task is cancelled.
    func waitUntilEmpty() async {
        await withCancellableContinuation(cancelled: (), register: { id, continuation in
            state.withLock { state -> Void? in
                if state.bufferedRecords == 0 {
                    state.flushRequested = false
                    return ()
                }
                state.emptyWaiters.append(id, continuation)
                return nil
            }
        }, withdraw: { [self] id in
            state.withLock { $0.emptyWaiters.remove(id) }
        })
    }

    /// Waits until the buffer has room again (after `.queueFull`), or until the task is cancelled.
    func waitForSpace() async {
        await withCancellableContinuation(cancelled: (), register: { id, continuation in
            state.withLock { state -> Void? in
                if hasRoom(state) { return () }
                state.spaceWaiters.append(id, continuation)
                return nil
            }
        }, withdraw: { [self] id in
            state.withLock { $0.spaceWaiters.remove(id) }
        })
    }
}
