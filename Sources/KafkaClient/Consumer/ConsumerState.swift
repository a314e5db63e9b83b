import Synchronization

/// What the consumer's fetcher, its messages iterator and its API share: the
/// assignment with positions, and the prefetched chunks bounded by bytes.
final class ConsumerState: Sendable {
    struct State {
        var partitions: [TopicPartition: ConsumerPartitionState] = [:]
        /// Chunks waiting for the application from `chunkHead` on; slots before it are
        /// emptied as chunks are taken, so consumed records are freed at once rather
        /// than when the array is next compacted.
        var chunks: [FetchedChunk?] = []
        var chunkHead = 0
        var bufferedBytes = 0
        /// The iterator waiting in `nextChunk()`, with its id so its cancellation takes out only itself.
        var messageWaiter: (id: WaiterID, continuation: CheckedContinuation<Result<FetchedChunk?, KafkaError>, Never>)?
        /// The newest errors, for `takeErrors()`; at most `ConsumerErrorPolicy.recentErrorLimit`.
        var errors: [KafkaError] = []
        /// The error that ended consumption: every `next()` throws it.
        var failure: KafkaError?
        /// Errors of single partitions (offset out of range or no committed offset under
        /// `auto.offset.reset=error`, a truncated log): `next()` throws each once, and the
        /// partition waits for a `seek` (which drops its error if not thrown yet).
        var partitionFailures: [(partition: TopicPartition, error: KafkaError)] = []
        var isClosed = false
        var nextGeneration: UInt64 = 1
    }

    /// Shared by tasks and the connection threads: a lock the thread sanitizer sees (`VisibleLock`).
    let state = VisibleLock(State())
    /// The chunk the iterator is going through, and the offset after its last
    /// delivered record: positions move per message for the cost of one relaxed
    /// store. The chunk itself is kept so a new loop after `break` can go on with it.
    let current = VisibleLock<FetchedChunk?>(nil)
    let currentNextOffset = Atomic<Int64>(-1)
    /// False once the current chunk's partition was seeked or unassigned: checked per message.
    let currentChunkIsValid = Atomic<Bool>(false)
    /// Chunks the iterator has started; part of what the poll watch compares.
    let chunksStarted = Atomic<UInt64>(0)
    let maxPrefetchBytes: Int
    /// Signalled when the fetcher may have work: responses, assignment changes, space in the buffer.
    let wakeup = SenderWakeup()

    /// Where reported errors go as events (the consumer's events sequence).
    let events: AsyncStream<KafkaConsumerEvent>.Continuation?
    /// What `KafkaConsumer.run()` waits for; an error that ends consumption ends it too.
    let lifecycle = ClientLifecycle()

    init(maxPrefetchBytes: Int, events: AsyncStream<KafkaConsumerEvent>.Continuation? = nil) {
        self.maxPrefetchBytes = maxPrefetchBytes
        self.events = events
    }

    /// Adds a fetched chunk, or hands it straight to a waiting iterator.
    /// Dropped when the partition was seeked or unassigned since the fetch.
    func deliver(_ chunk: FetchedChunk) {
        let waiter: CheckedContinuation<Result<FetchedChunk?, KafkaError>, Never>? = state.withLock { state in
            guard let partition = state.partitions[chunk.topicPartition], partition.generation == chunk.generation else { return nil }
            if let waiter = state.messageWaiter.take() { return waiter.continuation }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.bytes
            return nil
        }
        waiter?.resume(returning: .success(chunk))
    }

    /// The next chunk for the application, waiting for one; nil once closed.
    /// - Throws: the error that ended consumption (every call), or a partition's error (once);
    ///   `.cancelled` when the task is cancelled while waiting (nothing is lost: chunks
    ///   arriving meanwhile stay buffered for the next call).
    func nextChunk() async throws(KafkaError) -> FetchedChunk? {
        let result = await withCancellableContinuation(cancelled: .failure(KafkaError.cancelled("waiting for messages")), register: { id, continuation in
            let (ready, wakeFetcher): (Result<FetchedChunk?, KafkaError>?, Bool) = state.withLock { state in
                if let failure = state.failure { return (.failure(failure), false) }
                if !state.partitionFailures.isEmpty { return (.failure(state.partitionFailures.removeFirst().error), false) }
                while state.chunkHead < state.chunks.count {
                    guard let chunk = state.chunks[state.chunkHead].take() else { preconditionFailure("a taken chunk slot at the head") }
                    state.chunkHead += 1
                    let wasFull = state.bufferedBytes >= maxPrefetchBytes
                    state.bufferedBytes -= chunk.bytes
                    if state.chunkHead == state.chunks.count {
                        state.chunks.removeAll(keepingCapacity: true)
                        state.chunkHead = 0
                    } else if state.chunkHead > 1024 {
                        state.chunks.removeFirst(state.chunkHead)
                        state.chunkHead = 0
                    }
                    // A chunk from before a seek is stale.
                    guard state.partitions[chunk.topicPartition]?.generation == chunk.generation else { continue }
                    return (.success(chunk), wasFull && state.bufferedBytes < maxPrefetchBytes)
                }
                if state.isClosed { return (.success(nil), false) }
                state.messageWaiter = (id, continuation)
                return (nil, true)
            }
            // Before suspending: the fetcher learns at once that there is room, or a reader waiting.
            if wakeFetcher { wakeup.signal() }
            return ready
        }, withdraw: { [self] id in
            state.withLock { state in
                guard state.messageWaiter?.id == id else { return nil }
                return state.messageWaiter.take()?.continuation
            }
        })
        return try result.get()
    }

    /// The next offset the application will receive from `partition`.
    func position(_ partition: TopicPartition) -> Int64? {
        position(partition, countingRecordInHand: true)
    }

    /// The offset up to which the application has finished with `partition`: the
    /// position, except that the record in the application's hand (handed out by the
    /// iterator, which has not been asked for the next one yet) is not finished.
    /// Auto-commit and commit-on-revoke commit this, so a crash while a record is
    /// processed delivers it again, as the Java client's auto-commit (which commits
    /// what earlier polls returned) does.
    func finishedPosition(_ partition: TopicPartition) -> ConsumedPosition? {
        state.withLock { state in consumedPosition(partition, countingRecordInHand: false, in: state) }
    }

    /// The position with the leader epoch of the record before it, for a commit.
    func consumedPosition(_ partition: TopicPartition) -> ConsumedPosition? {
        state.withLock { state in consumedPosition(partition, countingRecordInHand: true, in: state) }
    }

    private func position(_ partition: TopicPartition, countingRecordInHand: Bool) -> Int64? {
        state.withLock { state in consumedPosition(partition, countingRecordInHand: countingRecordInHand, in: state)?.offset }
    }

    private func consumedPosition(_ partition: TopicPartition, countingRecordInHand: Bool, in state: State) -> ConsumedPosition? {
        guard let entry = state.partitions[partition] else { return nil }
        if let active = current.withLock({ $0 }), active.topicPartition == partition, active.generation == entry.generation {
            let next = currentNextOffset.load(ordering: .relaxed)
            if next >= 0 {
                let offset = countingRecordInHand ? next : next - 1
                // The record before `offset` is in this chunk, or it ended the chunk before.
                return ConsumedPosition(offset: offset, leaderEpoch: active.leaderEpoch(of: offset - 1) ?? entry.positionEpoch)
            }
        }
        return entry.position.map { ConsumedPosition(offset: $0, leaderEpoch: entry.positionEpoch) }
    }

    /// The iterator moves to `chunk` (nil: none); the finished chunk's end becomes its partition's position.
    func iterating(_ chunk: FetchedChunk?, finished: FetchedChunk?) {
        // Under the state lock, so an assignment change either sees the new chunk or is seen by it.
        state.withLock { state in
            if let finished, state.partitions[finished.topicPartition]?.generation == finished.generation {
                state.partitions[finished.topicPartition]?.position = finished.nextOffset
                if let epoch = finished.selections.last?.leaderEpoch {
                    state.partitions[finished.topicPartition]?.positionEpoch = epoch
                }
            }
            current.withLock { $0 = chunk }
            currentNextOffset.store(-1, ordering: .relaxed)
            let isValid = chunk.map { state.partitions[$0.topicPartition]?.generation == $0.generation } ?? false
            currentChunkIsValid.store(isValid, ordering: .relaxed)
            if chunk != nil { chunksStarted.add(1, ordering: .relaxed) }
        }
    }

    /// Stops the iterator's current chunk when its partition is among `partitions`.
    /// Called with `state` locked, so no newer chunk can have started.
    func invalidateCurrentChunk(ifIn partitions: Set<TopicPartition>) {
        guard let active = current.withLock({ $0?.topicPartition }), partitions.contains(active) else { return }
        currentChunkIsValid.store(false, ordering: .relaxed)
    }

    /// The chunk an earlier iterator was in the middle of when it was dropped (a
    /// `break` out of a `for await` loop), with the offset after the last record it
    /// handed out (-1: none yet). Nil when there is none, or when its partition was
    /// seeked or unassigned since. A new iterator goes on from there, so leaving a
    /// loop loses no fetched records.
    func unfinishedChunk() -> (chunk: FetchedChunk, nextOffset: Int64)? {
        state.withLock { state in
            guard let chunk = current.withLock({ $0 }), currentChunkIsValid.load(ordering: .relaxed),
                  state.partitions[chunk.topicPartition]?.generation == chunk.generation else { return nil }
            return (chunk, currentNextOffset.load(ordering: .relaxed))
        }
    }

    /// Stops handing out records of `partitions` (about to be revoked) and returns
    /// what the application has finished with in each: the chunk in hand stops after
    /// the record being processed, and chunks fetched but not started are dropped.
    /// Committing the result afterwards then covers every record handed out but the
    /// one in hand, and no record is handed out after it (which the partitions' next
    /// owner would read again).
    func stopDelivering(_ partitions: [TopicPartition]) -> [TopicPartition: ConsumedPosition] {
        var finished: [TopicPartition: ConsumedPosition] = [:]
        for key in partitions {
            if let position = finishedPosition(key) { finished[key] = position }
        }
        state.withLock { state in
            invalidateCurrentChunk(ifIn: Set(partitions))
            for key in partitions where state.partitions[key] != nil {
                // A record handed out between the lookup above and the invalidation moves the position on.
                if let position = consumedPosition(key, countingRecordInHand: false, in: state) { finished[key] = position }
                state.partitions[key]!.generation = state.nextGeneration
                state.nextGeneration += 1
                state.partitions[key]!.position = finished[key]?.offset
                state.partitions[key]!.positionEpoch = finished[key]?.leaderEpoch ?? -1
                state.partitions[key]!.isPaused = true
            }
        }
        return finished
    }

    /// Ends iteration: a waiting iterator gets nil.
    func close() {
        let waiter = state.withLock { state in
            state.isClosed = true
            return state.messageWaiter.take()?.continuation
        }
        waiter?.resume(returning: .success(nil))
        wakeup.signal()
    }

    /// Reports `error` as an event and to `takeErrors()`; an error that ends
    /// consumption (`ConsumerErrorPolicy`) also ends the messages sequence with it.
    func report(_ error: KafkaError) {
        if ConsumerErrorPolicy.endsConsumption(error) {
            fail(error)
        } else {
            remember(error)
        }
    }

    /// Ends the messages sequence with `error` (the first such error stays): the
    /// waiting `next()` and every later one throw it.
    func fail(_ error: KafkaError) {
        remember(error)
        let (waiter, failure) = state.withLock { state -> (CheckedContinuation<Result<FetchedChunk?, KafkaError>, Never>?, KafkaError) in
            if state.failure == nil { state.failure = error }
            return (state.messageWaiter.take()?.continuation, state.failure ?? error)
        }
        waiter?.resume(returning: .failure(failure))
        lifecycle.fail(failure)
    }

    /// A partition's error for the application: `next()` throws it once, and the
    /// partition (paused by the caller) fetches nothing until the application seeks.
    func failPartition(_ partition: TopicPartition, _ error: KafkaError) {
        remember(error)
        let waiter = state.withLock { state -> CheckedContinuation<Result<FetchedChunk?, KafkaError>, Never>? in
            guard let waiter = state.messageWaiter.take() else {
                state.partitionFailures.append((partition, error))
                return nil
            }
            return waiter.continuation
        }
        waiter?.resume(returning: .failure(error))
    }

    /// Drops errors of `partitions` not thrown yet: the application seeked or
    /// reassigned them, so the error no longer describes them. Called with `state` locked.
    func dropPartitionFailures(_ partitions: Set<TopicPartition>, in state: inout State) {
        state.partitionFailures.removeAll { partitions.contains($0.partition) }
    }

    /// Keeps `error` for `takeErrors()` (the newest ones) and sends it as an event.
    private func remember(_ error: KafkaError) {
        state.withLock { state in
            if state.errors.count >= ConsumerErrorPolicy.recentErrorLimit { state.errors.removeFirst() }
            state.errors.append(error)
        }
        events?.yield(.error(error))
    }

    /// How far the application has got with the messages, and whether it is waiting for more.
    struct PollSignature: Equatable, Sendable {
        var chunks: UInt64
        var nextOffset: Int64
        var isWaiting: Bool
    }

    var pollSignature: PollSignature {
        let waiting = state.withLock { $0.messageWaiter != nil || $0.isClosed }
        return PollSignature(chunks: chunksStarted.load(ordering: .relaxed), nextOffset: currentNextOffset.load(ordering: .relaxed),
                             isWaiting: waiting)
    }

    /// True when the buffer is below the prefetch limit.
    var hasRoom: Bool { state.withLock { $0.bufferedBytes < maxPrefetchBytes } }
}
