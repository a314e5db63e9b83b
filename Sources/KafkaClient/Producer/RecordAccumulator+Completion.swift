import KafkaWire

/// What happens to a batch after its Produce request: done, retried or failed.
extension RecordAccumulator {
    /// Waiters of `sendAndWait` and `send(_:onDelivery:)`, with the reports that resume them.
    typealias WaiterResumptions = [(DeliveryWaiter, KafkaDeliveryReport)]

    /// The request for `broker` finished (its batches are handled separately).
    func requestFinished(broker: Int32) {
        state.withLock { state in
            state.brokerInFlight[broker, default: 1] -= 1
        }
    }

    /// The broker acknowledged `batch`; returns the waiters to resume with their reports.
    func acknowledged(_ batch: ProducerBatch, report: (Int) -> KafkaDeliveryReport) -> WaiterResumptions {
        state.withLock { state in
            let generation = state.identity.generation
            state.table.withQueue(batch.topicPartition) { queue in
                queue.inFlight -= 1
                if batch.identity?.generation != generation, batch.identity != nil {
                    queue.staleInFlight -= 1
                } else if batch.baseSequence >= 0 {
                    // Only forward: answers from two leaders (or two connections) may arrive out
                    // of order, and a step back would make the next batch look out of line.
                    let last = ProducerSequence.increment(batch.baseSequence, by: batch.recordCount - 1)
                    if queue.lastAckedSequence < 0 || ProducerSequence.isAfter(last, queue.lastAckedSequence) {
                        queue.lastAckedSequence = last
                    }
                }
            }
            return release(batch, report: report, state: &state)
        }
    }

    /// `batch` failed for good; returns the waiters to resume with its reports.
    /// A stamped batch that fails leaves a gap in its partition's sequence, so
    /// the producer bumps its epoch before sending more (as the Java client does).
    func failed(_ batch: ProducerBatch, wasInFlight: Bool, report: (Int) -> KafkaDeliveryReport) -> WaiterResumptions {
        state.withLock { state in
            let generation = state.identity.generation
            if wasInFlight {
                state.table.withQueue(batch.topicPartition) { queue in
                    queue.inFlight -= 1
                    if batch.identity?.generation != generation, batch.identity != nil { queue.staleInFlight -= 1 }
                }
            }
            if settings.idempotent && batch.identity != nil {
                state.needsEpochBump = true
                state.partitionsToRestamp.insert(batch.topicPartition)
            }
            return release(batch, report: report, state: &state)
        }
    }

    /// Puts `batch` back at its place in sequence order, to be sent again after
    /// the retry backoff. With `bumpEpoch`, the producer first gets a new epoch.
    func retry(_ batch: ProducerBatch, now: ContinuousClock.Instant, bumpEpoch: Bool, random: inout some RandomNumberGenerator) {
        let delay = retryDelay(attempts: batch.attempts, random: &random)
        state.withLock { state in
            var batch = batch
            batch.notBefore = now.advanced(by: delay)
            let generation = state.identity.generation
            let idempotent = settings.idempotent
            state.table.withQueue(batch.topicPartition) { queue in
                queue.inFlight -= 1
                if batch.identity != nil, batch.identity?.generation != generation { queue.staleInFlight -= 1 }
                queue.sealed.insert(batch, at: idempotent ? queue.sequenceOrderIndex(for: batch) : 0)
            }
            if bumpEpoch {
                state.needsEpochBump = true
                state.partitionsToRestamp.insert(batch.topicPartition)
            }
        }
    }

    /// The broker refused `batch` as too large: `halves` (``ProducerBatch/splitInHalves()``)
    /// take its place at the front of its partition's order, to be sent without delay.
    func replace(_ batch: ProducerBatch, bySplit halves: (ProducerBatch, ProducerBatch)) {
        state.withLock { state in
            let generation = state.identity.generation
            let idempotent = settings.idempotent
            state.table.withQueue(batch.topicPartition) { queue in
                queue.inFlight -= 1
                if batch.identity != nil, batch.identity?.generation != generation { queue.staleInFlight -= 1 }
                let index = idempotent ? queue.sequenceOrderIndex(for: batch) : 0
                queue.sealed.insert(contentsOf: [halves.0, halves.1], at: index)
            }
        }
    }

    /// True when a retry of `batch` must wait for an earlier batch of its partition:
    /// OUT_OF_ORDER_SEQUENCE_NUMBER for a batch that is not next in line is expected
    /// after an earlier batch failed and is being re-sent.
    func isAwaitingEarlierBatch(_ batch: ProducerBatch) -> Bool {
        state.withLock { state in
            guard let queue = state.table.queue(batch.topicPartition) else { return false }
            return batch.baseSequence != ProducerSequence.increment(queue.lastAckedSequence, by: 1)
        }
    }

    /// True when the broker acknowledged a sequence at or past the end of `batch` under
    /// the batch's own producer id and epoch: it accepts sequences only in order, so
    /// the batch itself is in the log.
    func isAcknowledgedPast(_ batch: ProducerBatch) -> Bool {
        state.withLock { state in
            guard let identity = batch.identity, identity.generation == state.identity.generation, batch.baseSequence >= 0,
                  let queue = state.table.queue(batch.topicPartition), queue.lastAckedSequence >= 0 else { return false }
            let last = ProducerSequence.increment(batch.baseSequence, by: batch.recordCount - 1)
            return ProducerSequence.distance(from: last, to: queue.lastAckedSequence) < ProducerSequence.window
        }
    }

    /// Batches taken for a request that did not go out (``ConnectionHandover``): back
    /// to their places in sequence order, as if never taken, keeping their stamps.
    func putBack(_ batches: [ProducerBatch]) {
        state.withLock { state in
            let generation = state.identity.generation
            let idempotent = settings.idempotent
            for var batch in batches {
                batch.attempts -= 1
                state.table.withQueue(batch.topicPartition) { queue in
                    queue.inFlight -= 1
                    if batch.identity != nil, batch.identity?.generation != generation { queue.staleInFlight -= 1 }
                    queue.sealed.insert(batch, at: idempotent ? queue.sequenceOrderIndex(for: batch) : 0)
                }
            }
        }
    }

    /// The new producer id and epoch arrived: new batches of every partition start
    /// at sequence 0. Waiting batches of the partitions whose sequence broke are
    /// stamped again; other partitions' stamped batches (retries) go out as they
    /// were, and that partition's new batches wait until they are answered.
    func installIdentity(producerId: Int64, epoch: Int16) {
        state.withLock { state in
            state.identity = ProducerIdentity(producerId: producerId, epoch: epoch, generation: state.identity.generation + 1)
            state.needsEpochBump = false
            let restamp = state.partitionsToRestamp
            state.partitionsToRestamp = []
            state.table.forEachQueue { key, queue in
                queue.nextSequence = 0
                queue.lastAckedSequence = -1
                queue.staleInFlight = queue.inFlight
                guard restamp.contains(key) else { return }
                for index in queue.sealed.indices {
                    queue.sealed[index].identity = nil
                    queue.sealed[index].baseSequence = -1
                }
            }
        }
    }

    var identity: ProducerIdentity { state.withLock { $0.identity } }

    /// Takes the waiters of records that failed before reaching a batch.
    func takeWaiters(for ids: [UInt64]) -> [UInt64: DeliveryWaiter] {
        state.withLock { state in
            var taken: [UInt64: DeliveryWaiter] = [:]
            for id in ids { if let waiter = state.waiters.removeValue(forKey: id) { taken[id] = waiter } }
            if state.bufferedRecords == 0, !taken.values.contains(where: \.isHandler) {
                for waiter in state.emptyWaiters.removeAll() { waiter.resume() }
            }
            return taken
        }
    }

    /// Room enough to stop refusing records: below three quarters of both limits.
    func hasRoom(_ state: State) -> Bool {
        state.bufferedBytes <= settings.bufferMemory / 4 * 3 && state.bufferedRecords <= settings.maxBufferedRecords / 4 * 3
    }

    /// The backoff before retry number `attempts`: exponential from `retry.backoff.ms`
    /// to `retry.backoff.max.ms`, with ±20% jitter (KIP-580).
    func retryDelay(attempts: Int, random: inout some RandomNumberGenerator) -> Duration {
        ReconnectBackoff(base: settings.retryBackoff, maximum: settings.retryBackoffMax).delay(afterFailures: max(1, attempts), using: &random)
    }

    /// Frees the batch's buffer space and wakes whoever waits for space, emptiness or these reports.
    private func release(_ batch: ProducerBatch, report: (Int) -> KafkaDeliveryReport, state: inout State) -> WaiterResumptions {
        state.bufferedBytes -= batch.bufferedBytes
        state.bufferedRecords -= batch.recordCount
        if let bytes = batch.bytes, state.bufferPool.count < 16, bytes.capacity >= 16_384 {
            // Unique again once the response handler lets go of the batch.
            state.bufferPool.append(bytes)
        }
        var resumptions: WaiterResumptions = []
        if !state.waiters.isEmpty {
            for (index, id) in batch.ids.enumerated() {
                if let waiter = state.waiters.removeValue(forKey: id) { resumptions.append((waiter, report(index))) }
            }
        }
        if !state.spaceWaiters.isEmpty, hasRoom(state) {
            for waiter in state.spaceWaiters.removeAll() { waiter.resume() }
        }
        // A delivery handler may send more (a lineage hop): `flush` waits for those too,
        // so emptiness is announced after the handlers ran (`resume(_:)`).
        if state.bufferedRecords == 0, !resumptions.contains(where: { $0.0.isHandler }) {
            state.flushRequested = false
            for waiter in state.emptyWaiters.removeAll() { waiter.resume() }
        }
        return resumptions
    }

    /// Wakes `flush` and `waitForBufferSpace` callers after records left the buffer
    /// without a batch (rejected or expired while waiting for metadata).
    func wakeWaitersAfterRemoval() {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
            var woken: [CheckedContinuation<Void, Never>] = []
            if !state.spaceWaiters.isEmpty, hasRoom(state) {
                woken += state.spaceWaiters.removeAll()
            }
            if state.bufferedRecords == 0 {
                state.flushRequested = false
                woken += state.emptyWaiters.removeAll()
            }
            return woken
        }
        for waiter in woken { waiter.resume() }
    }

    /// Resumes `waiters` with their reports; after delivery handlers, wakes `flush`
    /// callers if the handlers left the buffer empty.
    func resume(_ waiters: some Sequence<(DeliveryWaiter, KafkaDeliveryReport)>) {
        var ranHandler = false
        for (waiter, report) in waiters {
            waiter.resume(returning: report)
            ranHandler = ranHandler || waiter.isHandler
        }
        guard ranHandler else { return }
        let emptied: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard state.bufferedRecords == 0 else { return [] }
            state.flushRequested = false
            return state.emptyWaiters.removeAll()
        }
        for waiter in emptied { waiter.resume() }
    }
}

extension RecordAccumulator.PartitionQueue {
    /// Where a stamped `batch` goes back among the sealed ones: before the first
    /// unstamped batch, the first stamped under a later producer epoch, or the first
    /// whose sequence comes after its own. Sequences are compared to each other, not to
    /// the last acknowledged one: a batch the broker has acknowledged past (its answer
    /// lost, a later batch's arrived) must still go first, while the broker remembers it
    /// and answers its retry with its offset.
    func sequenceOrderIndex(for batch: ProducerBatch) -> Int {
        let generation = batch.identity?.generation ?? Int.max
        return sealed.firstIndex { other in
            guard other.baseSequence >= 0, let otherGeneration = other.identity?.generation else { return true }
            if otherGeneration != generation { return otherGeneration > generation }
            return ProducerSequence.isAfter(other.baseSequence, batch.baseSequence)
        } ?? sealed.endIndex
    }
}
